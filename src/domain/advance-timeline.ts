/**
 * An event on a running instance: it closes the stages it closes, opens the
 * stages it starts, or ends the whole timeline early. Returns whether the
 * event concerned this instance at all.
 */
import { and, eq } from "drizzle-orm";
import { type Deadline, type Instance, deadlinesOf } from "../db/cases.js";
import { getOffice } from "../db/directory.js";
import { deadlines, notifications, timelineInstances } from "../db/schema.js";
import { ApiError } from "../http/problem.js";
import type { StageDefinition, TimelineDefinition } from "../timelines/definition.js";
import type { Changes, EventContext } from "./changes.js";
import { openStage } from "./open-stage.js";

export function involves(def: TimelineDefinition, type: string): boolean {
  return type in def.endsOn || def.stages.some((s) => (s.startsOn === type && s.startsOn !== def.trigger) || type in s.closesOn);
}

function close(ctx: EventContext, ch: Changes, d: Deadline, outcome: string): void {
  const { db } = ctx;
  const status = ctx.at <= d.dueAtMs ? "met" : "late";
  ch.stmts.push(db.update(deadlines).set({ status, outcome, closedAtMs: ctx.at, closedByEvent: ctx.eventId })
    .where(and(eq(deadlines.id, d.id), eq(deadlines.status, "open"))));
  // Reminders stop the moment the closing event arrives.
  ch.stmts.push(db.update(notifications).set({ status: "cancelled" })
    .where(and(eq(notifications.deadlineId, d.id), eq(notifications.status, "scheduled"))));
  ch.result.deadlines.push({ id: d.id, stage: d.stage, office: d.officeId, status, dueAt: d.dueAt, dueDate: d.dueDate });
}

function requireClosable(ctx: EventContext, stage: StageDefinition, d: Deadline | undefined): Deadline {
  if (d === undefined) throw new ApiError("stage_not_started", `La fase «${stage.title}» non è iniziata`);
  if (d.status !== "open") throw new ApiError("stage_closed", `La fase «${stage.title}» è già chiusa (${d.outcome ?? d.status})`);
  if (ctx.at < d.startedAtMs) {
    throw new ApiError("event_before_stage", "occurredAt: l'evento precede l'inizio della fase", { parameter: "occurredAt" });
  }
  return d;
}

export async function advanceTimeline(ctx: EventContext, def: TimelineDefinition, instance: Instance, ch: Changes): Promise<void> {
  const { db } = ctx;
  const current = await deadlinesOf(db, [instance.id]);
  // The latest period of each stage.
  const byStage = new Map<string, Deadline>();
  for (const d of current) if ((byStage.get(d.stage)?.seq ?? 0) < d.seq) byStage.set(d.stage, d);
  const open = new Set(current.filter((d) => d.status === "open").map((d) => d.stage));
  const ending = def.endsOn[ctx.type];
  if (ending !== undefined) {
    for (const d of current.filter((x) => x.status === "open")) close(ctx, ch, d, ending);
    open.clear();
  }
  for (const stage of def.stages.filter((s) => ctx.type in s.closesOn)) {
    const d = requireClosable(ctx, stage, byStage.get(stage.id));
    close(ctx, ch, d, stage.closesOn[ctx.type]!);
    open.delete(stage.id);
    if (stage.recurs && ending === undefined) {
      // The next period runs from this event.
      const office = (await getOffice(db, d.officeId))!;
      ch.opened.push(await openStage(db, def, stage, instance.id, office, { eventId: ctx.eventId, occurredAtMs: ctx.at }, d.seq + 1));
      open.add(stage.id);
    }
  }
  for (const stage of def.stages.filter((s) => s.startsOn === ctx.type && ending === undefined)) {
    if (byStage.has(stage.id)) throw new ApiError("stage_closed", `La fase «${stage.title}» è già stata avviata`);
    const officeId = ctx.onCase[stage.office];
    const office = officeId === undefined ? undefined : await getOffice(db, officeId);
    if (office === undefined) {
      throw new ApiError("unknown_office", `Nessun ufficio ${stage.office} per il procedimento`, { parameter: `data.offices.${stage.office}` });
    }
    const o = await openStage(db, def, stage, instance.id, office, { eventId: ctx.eventId, occurredAtMs: ctx.at });
    ch.opened.push(o);
    if (o.deadline.status === "open") open.add(stage.id);
  }
  const closesAll = open.size === 0;
  if (closesAll) {
    ch.stmts.push(db.update(timelineInstances).set({ status: "closed", closedAt: ctx.now }).where(eq(timelineInstances.id, instance.id)));
  }
  ch.result.timelines.push({ timeline: def.id, version: instance.version, instanceId: instance.id, status: closesAll ? "closed" : "running" });
  ch.wake.replan.push(instance.id);
}
