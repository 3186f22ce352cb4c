/**
 * One suspension of a day term (e.g. a request to complete documents): on
 * the request the deadline moves by the longest suspension allowed; when the
 * documents arrive it moves back to the days actually suspended.
 */
import { and, eq, gte, inArray } from "drizzle-orm";
import type { Deadline } from "../../db/cases.js";
import { deadlines, events } from "../../db/schema.js";
import { romeDay } from "../../engine/rome.js";
import { DomainFailure } from "../failure.js";
import type { StageDefinition, TimelineDefinition } from "../../timelines/definition.js";
import { notice, replan } from "./notifications.js";
import type { Changes, EventContext } from "../events/changes.js";
import { openStage } from "./open-stage.js";

/**
 * The days a stage's deadline has been moved by its suspension so far, from
 * the events on record since the period began: none; the most allowed while
 * suspended; the days actually suspended once the documents arrived.
 */
export async function suspendedDays(ctx: EventContext, stage: StageDefinition, since: number): Promise<number> {
  const s = stage.suspension;
  if (s === undefined) return 0;
  const prior = await ctx.db.select().from(events).where(and(
    eq(events.caseId, ctx.caseId), inArray(events.type, [s.on, s.off]), gte(events.occurredAtMs, since),
  )).all();
  const on = prior.find((e) => e.type === s.on);
  const off = prior.find((e) => e.type === s.off);
  if (on === undefined) return 0;
  if (off === undefined) return s.maxDays;
  return Math.min(Math.max(0, romeDay(off.occurredAtMs) - romeDay(on.occurredAtMs)), s.maxDays);
}

export async function applySuspension(ctx: EventContext, def: TimelineDefinition, current: Deadline[], ch: Changes): Promise<void> {
  for (const stage of def.stages) {
    const s = stage.suspension;
    if (s === undefined || (ctx.type !== s.on && ctx.type !== s.off)) continue;
    const d = current.filter((x) => x.stage === stage.id && x.status === "open").sort((a, b) => b.seq - a.seq)[0];
    if (d === undefined) throw new DomainFailure("stage_closed", `La fase «${stage.title}» non è in corso`);
    const prior = await ctx.db.select().from(events).where(and(
      eq(events.caseId, ctx.caseId), inArray(events.type, [s.on, s.off]), gte(events.occurredAtMs, d.startedAtMs),
    )).all();
    const requested = prior.filter((e) => e.type === s.on);
    let days: number;
    if (ctx.type === s.on) {
      if (requested.length > 0) throw new DomainFailure("suspension_used", "La sospensione del termine è consentita una sola volta");
      days = s.maxDays;
    } else {
      if (requested.length === 0 || prior.some((e) => e.type === s.off)) throw new DomainFailure("not_suspended", "Il termine non è sospeso");
      days = Math.min(Math.max(0, romeDay(ctx.at) - romeDay(requested[0]!.occurredAtMs)), s.maxDays);
    }
    await move(ctx, def, stage, d, days, ch);
  }
}

async function move(ctx: EventContext, def: TimelineDefinition, stage: StageDefinition, d: Deadline, days: number, ch: Changes): Promise<void> {
  const { db } = ctx;
  const t = stage.term;
  if (!("amount" in t)) return;
  const office = ctx.dir.get(d.officeId)!;
  const planned = await openStage(db, ctx.dir, def, { ...stage, term: { ...t, amount: t.amount + days } }, d.instanceId, office,
    { eventId: d.startedByEvent, occurredAtMs: d.startedAtMs, onCase: ctx.onCase }, d.seq);
  const nd = planned.deadline;
  const text = ctx.type === stage.suspension!.on
    ? `Termine sospeso per integrazione documentale: la scadenza è spostata del massimo consentito, ${days} giorni, fino al ricevimento dei documenti (${stage.basis})`
    : `Documenti ricevuti: la sospensione è durata ${days} giorni e la scadenza si sposta di altrettanto (${stage.basis})`;
  const explanation = nd.explanation as { steps: unknown[] };
  explanation.steps = [{ rule: "suspension", citation: stage.basis, text }, ...explanation.steps];
  ch.stmts.push(db.update(deadlines).set({ dueAt: nd.dueAt, dueAtMs: nd.dueAtMs, dueDate: nd.dueDate, explanation }).where(eq(deadlines.id, d.id)));
  if (nd.dueAtMs !== d.dueAtMs) {
    ch.stmts.push(...(await replan(db, d, planned.notifications, notice(d, ctx.eventId, ctx.now, office.emails, { notice: "date-changed", previousDueAt: d.dueAt }))));
  }
  ch.result.deadlines.push({ id: d.id, stage: d.stage, office: d.officeId, status: "open", dueAt: nd.dueAt, dueDate: nd.dueDate ?? null });
}
