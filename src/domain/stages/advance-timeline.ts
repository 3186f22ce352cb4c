/**
 * An event on a running instance: it closes the stages it closes, opens the
 * stages it starts, or ends the whole timeline early; its counts go to
 * the report counters in the same batch.
 */
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { type Deadline, type Instance, countEvents } from "../../db/cases.js";
import type { Office } from "../../db/directory.js";
import { deadlines, notifications, timelineInstances } from "../../db/schema.js";
import { DomainFailure } from "../failure.js";
import { hasOwn, own } from "../../lib/own.js";
import type { StageDefinition, TimelineDefinition } from "../../timelines/definition.js";
import type { Changes, EventContext } from "../events/changes.js";
import { eventNotices } from "./notices.js";
import { openStage } from "./open-stage.js";
import { meet } from "./roll-period.js";
import { applySuspension } from "./suspend-stage.js";
import { requireAuthority } from "../access/authority.js";
import { bumpStatement } from "../../db/counters.js";
import { occurrence } from "../../stats/metrics.js";
import { closingCounts } from "../reports/counts.js";
import { lapsedAt, recordsLapse, sourceOf } from "../../timelines/consequence.js";
import { romeWhen } from "../../engine/rome.js";
import { scheduleAct } from "./schedule-act.js";
import { restartStage } from "./restart-stage.js";

/** The event counts for the report, against the office that owns the timeline (its first stage's). */
export function countOccurrence(ctx: EventContext, def: TimelineDefinition, ch: Changes): void {
  const owner = ctx.onCase[def.stages[0]!.office];
  if (owner === undefined) return;
  for (const b of occurrence(def.id, ctx.type, owner, ctx.at, ctx.data.outcome)) ch.stmts.push(bumpStatement(ctx.db, b));
}

/** The deadlines this event has closed already (an early end and a closing event may name the same stage). */
const closedBy = new WeakMap<Changes, Set<string>>();

function close(ctx: EventContext, ch: Changes, def: TimelineDefinition, d: Deadline, outcome: string): void {
  const { db } = ctx;
  const done = closedBy.get(ch) ?? new Set<string>();
  closedBy.set(ch, done);
  if (done.has(d.id)) return;
  done.add(d.id);
  const status = ctx.at <= d.dueAtMs ? "met" : "late";
  // A stage whose lapse is recorded may lapse between this event's read and its batch: then the whole
  // batch must not land (the guard breaks the NOT NULL rule, the batch rolls back, the caller is told to
  // retry and then hears why the act is refused), never an event closing nothing while it opens what follows.
  const stage = def.stages.find((s) => s.id === d.stage);
  if (stage !== undefined && recordsLapse(stage.consequence)) {
    ch.stmts.push(db.update(deadlines).set({ status: sql`NULL` }).where(and(eq(deadlines.id, d.id), ne(deadlines.status, "open"))));
  }
  ch.stmts.push(...closingCounts(db, def, d, status, ctx.at));
  ch.stmts.push(db.update(deadlines).set({ status, outcome, closedAtMs: ctx.at, closedByEvent: ctx.eventId })
    .where(and(eq(deadlines.id, d.id), eq(deadlines.status, "open"))));
  // Reminders and escalations stop the moment the closing event arrives.
  ch.stmts.push(db.update(notifications).set({ status: "cancelled" })
    .where(and(eq(notifications.deadlineId, d.id), eq(notifications.status, "scheduled"), inArray(notifications.kind, ["reminder", "escalation", "lapse"]))));
  ch.result.deadlines.push({ id: d.id, stage: d.stage, office: d.officeId, status, dueAt: d.dueAt, dueDate: d.dueDate });
}

function requireClosable(ctx: EventContext, stage: StageDefinition, d: Deadline | undefined): Deadline {
  if (d === undefined) throw new DomainFailure("stage_not_started", `La fase «${stage.title}» non è iniziata`);
  if (d.status === "lapsed" || (d.status === "open" && lapsedAt(stage.consequence, d.dueAtMs, ctx.at))) throw lapsedError(stage, d);
  if (d.status !== "open") throw new DomainFailure("stage_closed", `La fase «${stage.title}» è già chiusa (${d.outcome ?? d.status})`);
  if (ctx.at < d.startedAtMs) {
    throw new DomainFailure("event_before_stage", "occurredAt: l'evento precede l'inizio della fase", { parameter: "occurredAt" });
  }
  return d;
}

/**
 * The act is no longer possible: the term passed and the law made the measure lapse. If the act
 * was done in time and only recorded late, the lapse is cancelled first (event.cancelled).
 */
export function lapsedError(stage: StageDefinition, d: Deadline): DomainFailure {
  const c = stage.consequence;
  return new DomainFailure("stage_lapsed",
    `La fase «${stage.title}» non ammette più atti: il termine è scaduto il ${romeWhen(d.dueAtMs)}. Effetto di legge: ${c.effect ?? "perdita di efficacia"}. ${sourceOf(c)} ` +
    `Se l'atto è stato compiuto entro il termine e registrato in ritardo, annullare prima l'evento di inefficacia (event.cancelled) e registrare l'atto con la sua data.`);
}

/**
 * The next period of a recurring stage: counted from this event, or from
 * the first start on the stage's anniversaries (n terms on, so no drift).
 */
function nextPeriod(
  ctx: EventContext, def: TimelineDefinition, stage: StageDefinition, instanceId: string, office: Office, current: Deadline[], seq: number,
) {
  const first = current.find((x) => x.stage === stage.id && x.seq === 1);
  if (stage.recursFrom === "anniversary" && first !== undefined && "amount" in stage.term) {
    const nth = { ...stage, term: { ...stage.term, amount: stage.term.amount * seq } };
    return openStage(ctx.db, ctx.dir, def, nth, instanceId, office, { eventId: first.startedByEvent, occurredAtMs: first.startedAtMs, onCase: ctx.onCase }, seq);
  }
  return openStage(ctx.db, ctx.dir, def, stage, instanceId, office, { eventId: ctx.eventId, occurredAtMs: ctx.at, onCase: ctx.onCase }, seq);
}

export async function advanceTimeline(ctx: EventContext, def: TimelineDefinition, instance: Instance, ch: Changes): Promise<void> {
  const { db, dir } = ctx;
  requireAuthority(dir, ctx.p, def, ctx.type, ctx.onCase);
  const current = ctx.deadlines.filter((d) => d.instanceId === instance.id);
  // The latest period of each stage.
  const byStage = new Map<string, Deadline>();
  for (const d of current) if ((byStage.get(d.stage)?.seq ?? 0) < d.seq) byStage.set(d.stage, d);
  const open = new Set(current.filter((d) => d.status === "open").map((d) => d.stage));
  const ending = own(def.endsOn, ctx.type);
  await applySuspension(ctx, def, current, ch);
  if (ending !== undefined) {
    for (const d of current.filter((x) => x.status === "open")) close(ctx, ch, def, d, ending);
    // No further periods either.
    ch.stmts.push(db.update(notifications).set({ status: "cancelled" })
      .where(and(eq(notifications.instanceId, instance.id), eq(notifications.kind, "roll"), eq(notifications.status, "scheduled"))));
    open.clear();
  }
  for (const stage of def.stages.filter((s) => s.quota?.event === ctx.type && ending === undefined)) {
    // An attestation counts in the period it falls in, even one that has since ended short of its quota
    // (an act recorded late, with its date); the quota met, the period is.
    const short = (d: Deadline) => d.status === "late" && d.closedByEvent === null;
    const period = current.find((d) => d.stage === stage.id && (d.status === "open" || short(d)) && d.startedAtMs <= ctx.at && ctx.at <= d.dueAtMs);
    if (period === undefined) continue;
    const seen = await countEvents(db, ctx.caseId, ctx.type, period.startedAtMs, period.dueAtMs);
    if (seen + 1 >= stage.quota!.count) {
      ch.stmts.push(...meet(db, period.id, stage.quota!.met, ctx.at, ctx.eventId, short(period)));
      if (short(period)) ch.stmts.push(...closingCounts(db, def, period, "late", period.closedAtMs ?? period.dueAtMs, -1));
      ch.stmts.push(...closingCounts(db, def, period, "met", ctx.at));
      ch.result.deadlines.push({ id: period.id, stage: period.stage, office: period.officeId, status: "met", dueAt: period.dueAt, dueDate: period.dueDate });
      if (!current.some((d) => d.stage === stage.id && d.id !== period.id && d.status === "open")) open.delete(stage.id);
    }
  }
  for (const stage of def.stages.filter((s) => Object.hasOwn(s.starts?.restartsOn ?? {}, ctx.type) && ending === undefined)) {
    await restartStage(ctx, ch, def, stage, requireClosable(ctx, stage, byStage.get(stage.id)));
  }
  for (const stage of def.stages.filter((s) => s.scheduledBy?.event === ctx.type && ending === undefined)) {
    scheduleAct(ctx, ch, stage, requireClosable(ctx, stage, byStage.get(stage.id)));
  }
  for (const stage of def.stages.filter((s) => hasOwn(s.closedAlsoBy, ctx.type))) {
    const d = byStage.get(stage.id);
    if (d === undefined || d.status !== "open" || ctx.at < d.startedAtMs || lapsedAt(stage.consequence, d.dueAtMs, ctx.at)) continue;
    close(ctx, ch, def, d, stage.closedAlsoBy[ctx.type]!);
    open.delete(stage.id);
  }
  for (const stage of def.stages.filter((s) => hasOwn(s.closesOn, ctx.type))) {
    const d = requireClosable(ctx, stage, byStage.get(stage.id));
    close(ctx, ch, def, d, stage.closesOn[ctx.type]!);
    open.delete(stage.id);
    if (stage.recurs && ending === undefined) {
      const office = dir.get(d.officeId)!;
      ch.opened.push(await nextPeriod(ctx, def, stage, instance.id, office, current, d.seq + 1));
      open.add(stage.id);
    }
  }
  for (const stage of def.stages.filter((s) => s.startsOn === ctx.type && ending === undefined)) {
    if (byStage.has(stage.id)) throw new DomainFailure("stage_closed", `La fase «${stage.title}» è già stata avviata`);
    const officeId = ctx.onCase[stage.office];
    const office = officeId === undefined ? undefined : dir.get(officeId);
    if (office === undefined) {
      throw new DomainFailure("unknown_office", `Nessun ufficio ${stage.office} per il procedimento`, { parameter: `data.offices.${stage.office}` });
    }
    const o = await openStage(db, dir, def, stage, instance.id, office, { eventId: ctx.eventId, occurredAtMs: ctx.at, onCase: ctx.onCase, dueDate: ctx.data.dueDate as string | undefined, data: ctx.data });
    ch.opened.push(o);
    if (o.deadline.status === "open") open.add(stage.id);
  }
  countOccurrence(ctx, def, ch);
  const anchor = current.find((d) => d.seq === 1 && def.stages.find((s) => s.id === d.stage)?.startsOn === def.trigger) ?? current[0];
  if (anchor !== undefined) {
    const rows = eventNotices(dir, def, instance.id, anchor.id, ctx.onCase, { id: ctx.eventId, type: ctx.type, data: ctx.data }, ctx.now);
    if (rows.length > 0) {
      ch.stmts.push(db.insert(notifications).values(rows));
      ch.notices.push(...rows);
    }
  }
  // A rolling stage stays open while its next period is still to come.
  const rolling = def.stages.some((s) => s.rolls) && ending === undefined;
  const closesAll = open.size === 0 && !rolling;
  if (closesAll) {
    ch.stmts.push(db.update(timelineInstances).set({ status: "closed", closedAt: ctx.now }).where(eq(timelineInstances.id, instance.id)));
  }
  ch.result.timelines.push({ timeline: def.id, version: instance.version, instanceId: instance.id, status: closesAll ? "closed" : "running" });
  ch.wake.replan.push(instance.id);
}
