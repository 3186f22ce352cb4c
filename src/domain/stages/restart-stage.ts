/**
 * A later start the law gives a term (art. 13 co. 2 L. 122/2016: the claim
 * runs from the final judgment, or from the last act of an enforcement that
 * failed): the open deadline is counted again from the new start, its rungs
 * re-planned, the office told why and from when, the move audited with the
 * old and new dates — as a correction moves one.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Deadline } from "../../db/cases.js";
import { deadlines, events, timelineInstances } from "../../db/schema.js";
import { DomainFailure } from "../failure.js";
import type { StageDefinition, TimelineDefinition } from "../../timelines/definition.js";
import type { Changes, EventContext } from "../events/changes.js";
import { notice, replan } from "./notifications.js";
import { openStage } from "./open-stage.js";

export async function restartStage(ctx: EventContext, ch: Changes, def: TimelineDefinition, stage: StageDefinition, d: Deadline): Promise<void> {
  const label = stage.starts!.restartsOn[ctx.type]!;
  if (ctx.at <= d.startedAtMs) {
    throw new DomainFailure("event_before_stage", `occurredAt: la nuova decorrenza (${label}) deve seguire quella da cui il termine decorre ora`, { parameter: "occurredAt" });
  }
  const office = ctx.dir.get(d.officeId)!;
  const next = await openStage(ctx.db, ctx.dir, def, stage, d.instanceId, office,
    { eventId: ctx.eventId, occurredAtMs: ctx.at, onCase: ctx.onCase, data: ctx.data, startLabel: label }, d.seq);
  const nd = next.deadline;
  ch.stmts.push(ctx.db.update(deadlines).set({
    startedByEvent: ctx.eventId, startedAtMs: ctx.at, dueAt: nd.dueAt, dueAtMs: nd.dueAtMs, dueDate: nd.dueDate, explanation: nd.explanation,
  }).where(and(eq(deadlines.id, d.id), eq(deadlines.status, "open"))));
  const told = notice(d, ctx.eventId, ctx.now, office.emails, { notice: "date-changed", previousDueAt: d.dueAt, reason: `il termine decorre ora ${label}` });
  ch.stmts.push(...(await replan(ctx.db, d, next.notifications, told)));
  ch.audit = { action: "deadline.restarted", detail: { eventId: ctx.eventId, type: ctx.type, deadline: d.id, from: d.dueAt, to: nd.dueAt, start: label } };
  ch.result.deadlines.push({ id: d.id, stage: d.stage, office: d.officeId, status: "open", dueAt: nd.dueAt, dueDate: nd.dueDate ?? null });
}

/**
 * The event a restarted term ran from was entered by mistake: the term runs again from the start
 * before it (the latest of the trigger and the other restarts not cancelled), told and audited.
 */
export async function undoRestart(ctx: EventContext, ch: Changes, def: TimelineDefinition, stage: StageDefinition, d: Deadline, cancelled: string): Promise<void> {
  const { db } = ctx;
  const restarts = Object.keys(stage.starts!.restartsOn);
  const instance = (await db.select().from(timelineInstances).where(eq(timelineInstances.id, d.instanceId)).get())!;
  const gone = new Set([cancelled, ...(await db.select({ data: events.data }).from(events)
    .where(and(eq(events.caseId, ctx.caseId), eq(events.type, "event.cancelled"))).all()).map((r) => String(r.data.eventId))]);
  const candidates = (await db.select().from(events).where(and(eq(events.caseId, ctx.caseId), inArray(events.type, restarts))).all())
    .filter((x) => !gone.has(x.id));
  const previous = candidates.sort((a, b) => b.occurredAtMs - a.occurredAtMs)[0];
  const from = previous ?? (await db.select().from(events).where(eq(events.id, instance.startedByEvent)).get())!;
  const office = ctx.dir.get(d.officeId)!;
  const label = previous === undefined ? undefined : stage.starts!.restartsOn[previous.type];
  const next = await openStage(db, ctx.dir, def, stage, d.instanceId, office,
    { eventId: from.id, occurredAtMs: from.occurredAtMs, onCase: ctx.onCase, data: from.data, startLabel: label }, d.seq);
  const nd = next.deadline;
  ch.stmts.push(db.update(deadlines).set({
    startedByEvent: from.id, startedAtMs: from.occurredAtMs, dueAt: nd.dueAt, dueAtMs: nd.dueAtMs, dueDate: nd.dueDate, explanation: nd.explanation,
  }).where(eq(deadlines.id, d.id)));
  if (d.status === "open") {
    const told = notice(d, ctx.eventId, ctx.now, office.emails, { notice: "date-changed", previousDueAt: d.dueAt, reason: "è stato annullato l'evento da cui decorreva il termine" });
    ch.stmts.push(...(await replan(db, d, next.notifications, told)));
  }
  ch.result.deadlines.push({ id: d.id, stage: d.stage, office: d.officeId, status: d.status, dueAt: nd.dueAt, dueDate: nd.dueDate ?? null });
}
