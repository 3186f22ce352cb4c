/**
 * Events about events. `event.corrected` moves an earlier event's date:
 * every deadline it started is recomputed (and its rungs re-planned), every
 * deadline it closed is re-judged on time or late, the audit log keeps old
 * and new dates, and the offices concerned are told the new date.
 * `event.cancelled` withdraws what an event entered by mistake started and
 * reopens what it closed.
 */
import { and, eq, inArray, or, sql } from "drizzle-orm";
import { hasOwn } from "../../lib/own.js";
import { deadlines, events, notifications, timelineInstances } from "../../db/schema.js";
import { parseInstant } from "../../engine/instant.js";
import { DomainFailure } from "../failure.js";
import { getTimeline } from "../../timelines/catalog.js";
import type { Db } from "../../db/client.js";
import type { Changes, EventContext, Stmt } from "./changes.js";
import { nextPeriodStart, openStage } from "../stages/open-stage.js";
import { suspendedDays } from "../stages/suspend-stage.js";
import { notice, replan } from "../stages/notifications.js";
import { AMENDMENTS } from "./schemas.js";
import { bumpStatement } from "../../db/counters.js";
import { occurrence } from "../../stats/metrics.js";
import { closingCounts } from "../reports/counts.js";
import { requireAuthority } from "../access/authority.js";
import { type StageDefinition, type TimelineDefinition, involves } from "../../timelines/definition.js";
import { LAPSE_EVENT } from "../../timelines/consequence.js";
import { own } from "../../lib/own.js";
import { undoRestart } from "../stages/restart-stage.js";

const isAmendment = (type: string): boolean => hasOwn(AMENDMENTS, type);

type Deadline = typeof deadlines.$inferSelect;

async function target(ctx: EventContext) {
  const { db } = ctx;
  const id = ctx.data.eventId as string;
  const parameter = "data.eventId";
  const e = await db.select().from(events).where(eq(events.id, id)).get();
  if (e === undefined || e.caseId !== ctx.caseId) throw new DomainFailure("unknown_event", `${parameter}: nessun evento ${id} in questo procedimento`, { parameter });
  if (isAmendment(e.type)) throw new DomainFailure("unknown_event", `${parameter}: una rettifica non si rettifica: registrare l'evento corretto`, { parameter });
  const cancelled = await db.select({ id: events.id }).from(events)
    .where(and(eq(events.caseId, ctx.caseId), eq(events.type, "event.cancelled"), sql`json_extract(${events.data}, '$.eventId') = ${id}`)).get();
  if (cancelled !== undefined) throw new DomainFailure("unknown_event", `${parameter}: l'evento ${id} è già stato annullato`, { parameter });
  const touched = await db.select().from(deadlines).where(or(eq(deadlines.startedByEvent, id), eq(deadlines.closedByEvent, id))).all();
  // Whoever recorded an event may correct it; otherwise only who could have recorded it. A lapse
  // (recorded by the system) is taken back only by who could have recorded the act that lapsed.
  if (e.source !== ctx.p.id) {
    for (const i of await db.select().from(timelineInstances).where(eq(timelineInstances.caseId, ctx.caseId)).all()) {
      const def = getTimeline(i.timeline, i.version);
      if (def === undefined) continue;
      if (e.type === LAPSE_EVENT) {
        const stage = def.stages.find((s) => touched.some((d) => d.instanceId === i.id && d.status === "lapsed" && d.stage === s.id));
        const act = stage === undefined ? undefined : Object.keys(stage.closesOn)[0];
        if (act !== undefined) requireAuthority(ctx.dir, ctx.p, def, act, ctx.onCase);
      } else if (def.trigger === e.type || involves(def, e.type)) requireAuthority(ctx.dir, ctx.p, def, e.type, ctx.onCase);
    }
  }
  return { e, touched };
}

export async function correctEvent(ctx: EventContext, ch: Changes): Promise<void> {
  const { db } = ctx;
  const { e, touched } = await target(ctx);
  // A lapse is the law's effect of a date, not a date someone gave: it is cancelled, never corrected; and
  // what it decided is not re-judged under it by correcting the event its stage started from.
  if (e.type === LAPSE_EVENT || touched.some((d) => d.status === "lapsed")) {
    throw new DomainFailure("stage_lapsed", "La scadenza ha già prodotto il suo effetto di legge: se l'atto è stato compiuto nei termini, " +
      "annullare l'evento di inefficacia (event.cancelled) e registrare l'atto con la sua data; poi rettificare, se serve.");
  }
  const corrected = parseInstant(ctx.data.occurredAt as string);
  if (!corrected.ok || corrected.ms > ctx.now + 5 * 60_000) {
    throw new DomainFailure("event_in_future", "data.occurredAt: la data corretta non può essere futura", { parameter: "data.occurredAt" });
  }
  const at = corrected.ms;
  const moves: { deadline: string; from: string; to: string }[] = [];
  // Periods in order, so that a rolling stage's next period starts where the corrected one now ends.
  const ends = new Map<string, number>();
  for (const d of [...touched].sort((a, b) => a.seq - b.seq)) {
    const instance = (await db.select().from(timelineInstances).where(eq(timelineInstances.id, d.instanceId)).get())!;
    const def = getTimeline(instance.timeline, instance.version)!;
    const stage = def.stages.find((s) => s.id === d.stage)!;
    if (d.closedByEvent === e.id) {
      if (at < d.startedAtMs) throw new DomainFailure("event_before_stage", "data.occurredAt: precede l'inizio della fase che l'evento chiude", { parameter: "data.occurredAt" });
      const status = at <= d.dueAtMs ? "met" : "late";
      ch.stmts.push(db.update(deadlines).set({ closedAtMs: at, status }).where(eq(deadlines.id, d.id)));
      // The report's counters follow: the old closing out, the corrected one in.
      ch.stmts.push(...recount(db, def, d, -1), ...recount(db, def, { ...d, closedAtMs: at, status }, 1));
    }
    if (d.startedByEvent !== e.id) continue;
    const office = ctx.dir.get(d.officeId)!;
    const next = await openStage(db, ctx.dir, def, await periodStage(ctx, stage, d), d.instanceId, office,
      { eventId: e.id, occurredAtMs: periodStart(stage, d, at, ends), onCase: ctx.onCase, startLabel: own(stage.starts?.restartsOn ?? {}, e.type) }, d.seq);
    const nd = next.deadline;
    ends.set(`${d.instanceId}.${d.stage}.${d.seq}`, nd.dueAtMs!);
    const status = d.status === "open" || d.status === "informational" ? d.status : (d.closedAtMs ?? 0) <= nd.dueAtMs ? "met" : "late";
    const startedAtMs = nd.startedAtMs;
    ch.stmts.push(db.update(deadlines).set({
      startedAtMs, dueAt: nd.dueAt, dueAtMs: nd.dueAtMs, dueDate: nd.dueDate, explanation: nd.explanation, status,
    }).where(eq(deadlines.id, d.id)));
    // Already closed: judged again against the new date, and counted again from the new start.
    ch.stmts.push(...recount(db, def, d, -1), ...recount(db, def, { ...d, startedAtMs, status }, 1));
    if (d.status === "open") ch.stmts.push(...(await replan(db, d, next.notifications, notice(d, ctx.eventId, ctx.now, office.emails, { notice: "date-changed", previousDueAt: d.dueAt }))));
    moves.push({ deadline: d.id, from: d.dueAt, to: nd.dueAt });
    ch.result.deadlines.push({ id: d.id, stage: d.stage, office: d.officeId, status, dueAt: nd.dueAt, dueDate: nd.dueDate ?? null });
  }
  ch.audit = { action: "event.corrected", detail: { eventId: e.id, from: e.occurredAt, to: ctx.data.occurredAt, moves } };
  ch.wake.replan.push(...new Set(touched.map((d) => d.instanceId)));
}

/**
 * The term a period runs when its start is corrected: the whole history
 * again — the base term, the anniversary it falls on, and the suspension
 * already granted — not the bare base term.
 */
async function periodStage(ctx: EventContext, stage: StageDefinition, d: Deadline): Promise<StageDefinition> {
  const t = stage.term;
  if (!("amount" in t)) return stage;
  const nth = stage.recurs && stage.recursFrom === "anniversary" ? d.seq : 1;
  const amount = t.amount * nth + (await suspendedDays(ctx, stage, d.startedAtMs));
  return amount === t.amount ? stage : { ...stage, term: { ...t, amount } };
}

/** Where a corrected period starts: the corrected event, or (rolling periods after the first) the corrected end of the one before. */
function periodStart(stage: StageDefinition, d: Deadline, at: number, ends: ReadonlyMap<string, number>): number {
  if (!stage.rolls || d.seq === 1) return at;
  const before = ends.get(`${d.instanceId}.${d.stage}.${d.seq - 1}`);
  return before === undefined ? d.startedAtMs : nextPeriodStart(stage, before);
}

/** The counters a closed deadline added, added again (1) or taken back (-1). */
function recount(db: Db, def: TimelineDefinition, d: Deadline, by: 1 | -1): Stmt[] {
  if ((d.status !== "met" && d.status !== "late" && d.status !== "lapsed") || d.closedAtMs === null) return [];
  // A lapse counted as a term not kept.
  return closingCounts(db, def, d, d.status === "met" ? "met" : "late", d.closedAtMs, by);
}

export async function cancelEvent(ctx: EventContext, ch: Changes): Promise<void> {
  const { db } = ctx;
  const { e, touched } = await target(ctx);
  const started = await db.select().from(timelineInstances).where(eq(timelineInstances.startedByEvent, e.id)).all();
  const reopened = new Set<string>();
  // One read for the instances of every deadline touched, not one per deadline.
  const ids = [...new Set(touched.map((d) => d.instanceId))];
  const owners = new Map(ids.length === 0 ? [] : (await db.select().from(timelineInstances).where(inArray(timelineInstances.id, ids)).all()).map((i) => [i.id, i]));
  for (const d of touched) {
    const owning = owners.get(d.instanceId)!;
    const def = getTimeline(owning.timeline, owning.version)!;
    const stage = def.stages.find((s) => s.id === d.stage);
    if (d.startedByEvent === e.id && stage !== undefined && hasOwn(stage.starts?.restartsOn ?? {}, e.type)) {
      // A later start entered by mistake: the term runs again from the one before.
      await undoRestart(ctx, ch, def, stage, d, e.id);
    } else if (d.startedByEvent === e.id) {
      ch.stmts.push(db.update(deadlines).set({ status: "withdrawn" }).where(eq(deadlines.id, d.id)));
      ch.stmts.push(db.update(notifications).set({ status: "cancelled" }).where(and(eq(notifications.deadlineId, d.id), eq(notifications.status, "scheduled"))));
      if (d.status === "open") ch.stmts.push(db.insert(notifications).values(notice(d, ctx.eventId, ctx.now, ctx.dir.get(d.officeId)!.emails, { notice: "withdrawn" })));
      ch.result.deadlines.push({ id: d.id, stage: d.stage, office: d.officeId, status: "withdrawn", dueAt: d.dueAt, dueDate: d.dueDate });
    } else if (stage?.rolls === true && stage.quota !== undefined && ctx.now > d.dueAtMs && !started.some((i) => i.id === d.instanceId)) {
      // A past period met by mistake: it ended short of its quota, as the roll would have found it.
      ch.stmts.push(...recount(db, def, d, -1), ...closingCounts(db, def, d, "late", d.dueAtMs));
      ch.stmts.push(db.update(deadlines).set({ status: "late", outcome: stage.quota.missed, closedAtMs: d.dueAtMs, closedByEvent: null }).where(eq(deadlines.id, d.id)));
      ch.result.deadlines.push({ id: d.id, stage: d.stage, office: d.officeId, status: "late", dueAt: d.dueAt, dueDate: d.dueDate });
    } else if (!started.some((i) => i.id === d.instanceId)) {
      // Closed by mistake: open again, with the reminders and escalations the closing cancelled.
      ch.stmts.push(...recount(db, def, d, -1));
      ch.stmts.push(db.update(deadlines).set({ status: "open", outcome: null, closedAtMs: null, closedByEvent: null }).where(eq(deadlines.id, d.id)));
      // Its lapse and its next period too, which the closing (or a lapse) had called off.
      ch.stmts.push(db.update(notifications).set({ status: "scheduled" }).where(and(eq(notifications.deadlineId, d.id), eq(notifications.status, "cancelled"), inArray(notifications.kind, ["reminder", "escalation", "lapse", "roll"]))));
      reopened.add(d.instanceId);
      ch.result.deadlines.push({ id: d.id, stage: d.stage, office: d.officeId, status: "open", dueAt: d.dueAt, dueDate: d.dueDate });
    }
  }
  // The report's counters forget the event.
  for (const i of await db.select().from(timelineInstances).where(eq(timelineInstances.caseId, ctx.caseId)).all()) {
    const def = getTimeline(i.timeline, i.version);
    const owner = def === undefined ? undefined : ctx.onCase[def.stages[0]!.office];
    if (def === undefined || owner === undefined || (def.trigger !== e.type && !involves(def, e.type))) continue;
    if (def.trigger === e.type && i.startedByEvent !== e.id) continue;
    for (const b of occurrence(def.id, e.type, owner, e.occurredAtMs, (e.data as { outcome?: unknown }).outcome, -1)) ch.stmts.push(bumpStatement(db, b));
  }
  for (const i of started) {
    // A timeline withdrawn as a whole no longer counts in the reports.
    const def = getTimeline(i.timeline, i.version)!;
    for (const d of await db.select().from(deadlines).where(eq(deadlines.instanceId, i.id)).all()) ch.stmts.push(...recount(db, def, d, -1));
    // An instance already closed keeps the moment it closed.
    ch.stmts.push(db.update(timelineInstances).set({ status: "withdrawn", closedAt: sql`coalesce(${timelineInstances.closedAt}, ${ctx.now})` }).where(eq(timelineInstances.id, i.id)));
    ch.stmts.push(db.update(deadlines).set({ status: "withdrawn" }).where(eq(deadlines.instanceId, i.id)));
    ch.result.timelines.push({ timeline: i.timeline, version: i.version, instanceId: i.id, status: "withdrawn" });
  }
  for (const id of reopened) ch.stmts.push(db.update(timelineInstances).set({ status: "running", closedAt: null }).where(eq(timelineInstances.id, id)));
  ch.audit = { action: "event.cancelled", detail: { eventId: e.id, type: e.type, withdrawnTimelines: started.map((i) => i.id), reopened: [...reopened] } };
  ch.wake.replan.push(...new Set(touched.map((d) => d.instanceId)));
}
