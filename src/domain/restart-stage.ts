/**
 * A later start the law gives a term (art. 13 co. 2 L. 122/2016: the claim
 * runs from the final judgment, or from the last act of an enforcement that
 * failed): the open deadline is counted again from the new start, its rungs
 * re-planned, the office told why and from when, the move audited with the
 * old and new dates — as a correction moves one.
 */
import { and, eq } from "drizzle-orm";
import type { Deadline } from "../db/cases.js";
import { deadlines } from "../db/schema.js";
import { ApiError } from "../http/problem.js";
import type { StageDefinition, TimelineDefinition } from "../timelines/definition.js";
import type { Changes, EventContext } from "./changes.js";
import { notice, replan } from "./notifications.js";
import { openStage } from "./open-stage.js";

export async function restartStage(ctx: EventContext, ch: Changes, def: TimelineDefinition, stage: StageDefinition, d: Deadline): Promise<void> {
  const label = stage.starts!.restartsOn[ctx.type]!;
  if (ctx.at <= d.startedAtMs) {
    throw new ApiError("event_before_stage", `occurredAt: la nuova decorrenza (${label}) deve seguire quella da cui il termine decorre ora`, { parameter: "occurredAt" });
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
