/**
 * An event arrives (webhook or staff API): validate it against the case's
 * state, then write everything it changes in one D1 batch — the event, the
 * deadlines it opens and closes, their notifications, the audit row — so a
 * refusal or a failure leaves nothing half-written. Workflows are woken
 * afterwards; D1 stays the source of truth if waking fails (the cron sweep).
 */
import { eq } from "drizzle-orm";
import * as z from "zod";
import type { Principal } from "../../auth/principal.js";
import { auditInsert } from "../../db/audit.js";
import { type CaseHint, deadlinesOf, insertCase } from "../../db/cases.js";
import type { Db } from "../../db/client.js";
import { type Directory, directory } from "../../db/directory.js";
import { type EventState, readEventState } from "../../db/event-state.js";
import { ensureCurrentCopy } from "../../db/replicate.js";
import { cases, deadlines, events, notifications } from "../../db/schema.js";
import { parseInstant } from "../../engine/instant.js";
import { DomainFailure } from "../failure.js";
import { getTimeline, latest, isEnabled } from "../../timelines/catalog.js";
import { type TimelineDefinition, involves } from "../../timelines/definition.js";
import { advanceTimeline, lapsedError } from "../stages/advance-timeline.js";
import { cancelEvent, correctEvent } from "./amend-event.js";
import type { Changes, EventContext, EventResult, Stmt, Wake } from "./changes.js";
import { eventDataSchema } from "./schemas.js";
import { startTimeline } from "../stages/start-timeline.js";
import { pickVisible } from "../cases/case-lookup.js";
import { eventFacts } from "../subscriptions/event-outbound.js";
import { outboundRows } from "../subscriptions/outbound.js";
import type { OpenedStage } from "../stages/open-stage.js";
import type { NewNotification } from "../../db/delivery.js";
import { checked } from "../failure.js";

export type { EventResult, Wake } from "./changes.js";

export interface IncomingEvent {
  type: string;
  caseRef: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

export interface ApplyOptions {
  idempotencyKey: string;
  now: number;
  requestId: string | null;
  /** Which bills this deployment runs (ENABLED_BILLS). */
  billEnabled: (id: string) => boolean;
  /** Where links in outbound events point (APP_BASE_URL); without it (a preview), no outbound event is written. */
  appBaseUrl?: string;
  /** Written in the same batch, given the result (e.g. the webhook's delivery record). */
  extra?: (result: EventResult) => Stmt[];
  /** Which case the reference means when the caller sees it at more than one office. */
  caseHint?: CaseHint;
  /**
   * The state already read by the caller (a webhook reads it with its first
   * response), with the directory and principal it checked the caller against.
   */
  read?: { state: EventState; dir?: Directory; principal?: Principal };
  /**
   * An obligation the system opens itself (a compliance or annual report): not a
   * proceeding, so its identifier is its own, outside the offices' reference formats.
   */
  obligation?: boolean;
}

/** Clocks of senders drift; an event further in the future is a mistake. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

function parseEvent(ev: IncomingEvent, now: number): { data: Record<string, unknown>; at: number } {
  const schema = eventDataSchema(ev.type);
  if (schema === undefined) {
    throw new DomainFailure("unknown_event_type", `type: evento ${ev.type} non previsto da alcuno scadenzario`, { parameter: "type" });
  }
  // Wrapped so that errors name the field as data.<field>.
  const data = checked(z.object({ data: schema }), { data: ev.data }).data as Record<string, unknown>;
  const parsed = parseInstant(ev.occurredAt);
  if (!parsed.ok) throw new DomainFailure("invalid_body", "occurredAt: istante non valido", { parameter: "occurredAt" });
  if (parsed.ms > now + FUTURE_TOLERANCE_MS) {
    throw new DomainFailure("event_in_future", "occurredAt: l'evento non può essere futuro", { parameter: "occurredAt" });
  }
  return { data, at: parsed.ms };
}

/**
 * Who records the event. A function when the answer depends on the
 * directory (a webhook's signature and its sender's offices): it is asked
 * again if the directory changed since the caller's first look.
 */
export type Caller = Principal | ((dir: Directory) => Promise<Principal>);

export async function applyEvent(db: Db, caller: Caller, ev: IncomingEvent, opts: ApplyOptions): Promise<{ result: EventResult; wake: Wake }> {
  const prepared = await prepare(db, caller, ev, opts);
  if ("replayed" in prepared) return prepared.replayed;
  const { ctx, ch } = prepared;
  await commit(ctx, ch, opts);
  return { result: ch.result, wake: wakeOf(ctx, ch) };
}

/** What an event would do, computed exactly as `applyEvent` does it, with nothing written. */
export interface EventPreview {
  /** The deadlines it closes (met, late) or changes. */
  closed: EventResult["deadlines"];
  /** The stages it opens, each with its messages. */
  opened: OpenedStage[];
  /** Messages about the event itself (notices to the offices on the case). */
  notices: NewNotification[];
  /** The timelines it touches: which definition each instance runs. */
  timelines: EventResult["timelines"];
}

/**
 * The confirmation step of the web form: the same validation and the same arithmetic as the
 * real thing, so what it announces is what recording will do. A refusal is thrown as it would be.
 */
export async function previewEvent(db: Db, caller: Caller, ev: IncomingEvent, opts: ApplyOptions): Promise<EventPreview> {
  const prepared = await prepare(db, caller, ev, opts);
  if ("replayed" in prepared) return { closed: [], opened: [], notices: [], timelines: [] };
  const { ch } = prepared;
  return { closed: ch.result.deadlines, opened: ch.opened, notices: ch.notices, timelines: ch.result.timelines };
}

async function prepare(db: Db, caller: Caller, ev: IncomingEvent, opts: ApplyOptions): Promise<{ ctx: EventContext; ch: Changes } | { replayed: { result: EventResult; wake: Wake } }> {
  const { data, at } = parseEvent(ev, opts.now);
  const read = opts.read ?? { state: await readEventState(db, { idempotencyKey: opts.idempotencyKey, ref: ev.caseRef, hint: opts.caseHint }) };
  // A district's copy of the directory behind the central one is brought up to date before anything is written.
  const named = [...Object.values((data.offices ?? {}) as Record<string, string>), ...(typeof caller === "function" ? [] : caller.offices)];
  const dir = await directory(db, await ensureCurrentCopy(db, read.state.stamp, opts.now, named), opts.now);
  const p = typeof caller !== "function" ? caller : dir === read.dir ? read.principal! : await caller(dir);
  if (read.state.previous !== undefined) return { replayed: replay(read.state.previous, ev, at) };
  const existing = pickVisible(dir, p, ev.caseRef, read.state.cases);

  const starting = latest().filter((t) => t.trigger === ev.type);
  const enabled = starting.filter((t) => isEnabled(t, opts.billEnabled));
  if (starting.length > 0 && enabled.length === 0 && !latest().some((t) => t.trigger !== ev.type && involves(t, ev.type))) {
    throw new DomainFailure("timeline_disabled", `type: ${ev.type} avvia solo scadenzari di proposte di legge non attivate`, { parameter: "type" });
  }
  if (existing === undefined && enabled.length === 0) {
    throw new DomainFailure("unknown_case", `caseRef: procedimento ${ev.caseRef} sconosciuto`, { parameter: "caseRef" });
  }
  const mine = <T extends { caseId: string }>(rows: T[]) => rows.filter((r) => r.caseId === existing?.id);
  const instances = mine(read.state.instances);
  const ctx: EventContext = {
    db, dir, p, caseId: existing?.id ?? crypto.randomUUID(), caseRef: ev.caseRef, isNewCase: existing === undefined, caseCreatedAt: existing?.createdAt ?? opts.now, obligation: opts.obligation === true,
    ownerOfficeId: existing?.ownerOfficeId,
    onCase: { ...existing?.offices }, instances,
    deadlines: read.state.deadlines.filter((d) => instances.some((i) => i.id === d.instanceId)),
    eventId: crypto.randomUUID(), type: ev.type, occurredAt: ev.occurredAt, at, now: opts.now, data,
  };
  const ch: Changes = {
    stmts: [], opened: [], notices: [], wake: { start: [], replan: [] }, outbound: new Set(),
    result: { event: { id: ctx.eventId, type: ev.type, occurredAt: ev.occurredAt }, case: { ref: ev.caseRef }, replayed: false, timelines: [], deadlines: [] },
  };

  if (ev.type === "event.corrected") await correctEvent(ctx, ch);
  else if (ev.type === "event.cancelled") await cancelEvent(ctx, ch);
  else await advanceAll(ctx, ch, enabled);
  return { ctx, ch };
}

async function advanceAll(ctx: EventContext, ch: Changes, starting: readonly TimelineDefinition[]): Promise<void> {
  // A role no starting timeline has would be silently ignored: say so instead.
  const roles = new Set(starting.flatMap((t) => Object.keys(t.roles)));
  const stray = Object.keys((ctx.data.offices ?? {}) as object).find((r) => !roles.has(r));
  if (stray !== undefined) {
    const parameter = `data.offices.${stray}`;
    throw new DomainFailure("unknown_office", `${parameter}: ruolo non previsto dallo scadenzario avviato da ${ctx.type}`, { parameter });
  }
  for (const def of starting) await startTimeline(ctx, def, ch);
  const running = ctx.instances.filter((i) => i.status === "running");
  for (const instance of running) {
    // Each instance runs the version it started with.
    const def = getTimeline(instance.timeline, instance.version);
    if (def !== undefined && def.trigger !== ctx.type && involves(def, ctx.type)) await advanceTimeline(ctx, def, instance, ch);
  }
  if (ch.result.timelines.length === 0) {
    throw (await lapsedRefusal(ctx)) ?? new DomainFailure("no_running_timeline", `Nessuno scadenzario in corso per ${ctx.caseRef} attende l'evento ${ctx.type}`);
  }
}

/** An act the timeline would have taken, had its measure not lapsed: refused with the lapse and what to do. */
async function lapsedRefusal(ctx: EventContext): Promise<DomainFailure | undefined> {
  const ended = ctx.instances.filter((i) => i.status === "closed");
  if (ended.length === 0) return undefined;
  for (const d of (await deadlinesOf(ctx.db, ended.map((i) => i.id))).filter((x) => x.status === "lapsed")) {
    const instance = ended.find((i) => i.id === d.instanceId)!;
    const def = getTimeline(instance.timeline, instance.version);
    const stage = def?.stages.find((s) => s.id === d.stage);
    if (def !== undefined && stage !== undefined && involves(def, ctx.type)) return lapsedError(stage, d);
  }
  return undefined;
}

async function commit(ctx: EventContext, ch: Changes, opts: ApplyOptions): Promise<void> {
  const { db } = ctx;
  const head: Stmt[] = [];
  if (ctx.isNewCase) {
    head.push(insertCase(db, ctx.dir.get(ctx.ownerOfficeId!)!, { id: ctx.caseId, ref: ctx.caseRef, createdAt: ctx.now, createdBy: ctx.p.id, lastActivityAt: ctx.now }));
  } else {
    // Retention counts from the last activity (migration 0015).
    head.push(db.update(cases).set({ lastActivityAt: ctx.now }).where(eq(cases.id, ctx.caseId)));
  }
  // The event row comes before everything that refers to it.
  head.push(db.insert(events).values({
    id: ctx.eventId, idempotencyKey: opts.idempotencyKey, caseId: ctx.caseId, type: ctx.type, occurredAt: ctx.occurredAt,
    occurredAtMs: ctx.at, data: ctx.data, source: ctx.p.id, receivedAt: ctx.now,
  }));
  const tail: Stmt[] = [];
  for (const o of ch.opened) {
    tail.push(db.insert(deadlines).values(o.deadline));
    if (o.notifications.length > 0) tail.push(db.insert(notifications).values(o.notifications));
    const d = o.deadline;
    ch.result.deadlines.push({ id: d.id, stage: d.stage, office: d.officeId, status: d.status, dueAt: d.dueAt, dueDate: d.dueDate ?? null });
  }
  const deadlinesTouched = ch.result.deadlines.map((d) => ({ id: d.id, status: d.status, dueAt: d.dueAt }));
  tail.push(auditInsert(db, {
    actor: ctx.p.id, action: ch.audit?.action ?? "event.recorded", caseId: ctx.caseId, requestId: opts.requestId,
    detail: { eventId: ctx.eventId, type: ctx.type, occurredAt: ctx.occurredAt, deadlines: deadlinesTouched, ...ch.audit?.detail },
  }, ctx.now));
  tail.push(...(opts.extra?.(ch.result) ?? []));
  // No subscription at all (the usual case): the event path builds no facts.
  if (opts.appBaseUrl !== undefined && ctx.dir.anySubscription) {
    const out = await outboundRows(db, ctx.dir, eventFacts(ctx, ch, opts.appBaseUrl), ctx.now);
    tail.push(...out.stmts);
    for (const id of out.instances) ch.outbound.add(id);
  }
  try {
    await db.batch([...head, ...ch.stmts, ...tail] as [Stmt, ...Stmt[]]);
  } catch (err) {
    // Another event changed the case between our reads and this batch (a
    // uniqueness rule caught it); the batch rolled back as a whole.
    if (String((err as Error).message).includes("constraint failed")) {
      throw new DomainFailure("concurrent_update", "Il procedimento è stato modificato da un'altra richiesta nello stesso momento: riprovare");
    }
    throw err;
  }
}

/** What the workflows need to know, from what the event already read and wrote. */
function wakeOf(ctx: EventContext, ch: Changes): Wake {
  const after = new Map(ch.result.timelines.map((t) => [t.instanceId, t.status]));
  const firstAt = (id: string) => {
    // An outbound event to deliver: at once.
    const due = [...ch.opened.flatMap((o) => o.notifications).filter((n) => n.instanceId === id).map((n) => n.sendAtMs), ...(ch.outbound.has(id) ? [ctx.now] : [])];
    return due.length === 0 ? null : Math.min(...due);
  };
  return {
    start: ch.wake.start.map((instanceId) => ({ instanceId, firstAt: firstAt(instanceId) })),
    replan: [...new Set(ch.wake.replan)].map((instanceId) => {
      const known = ctx.instances.find((i) => i.id === instanceId);
      return known === undefined ? { instanceId } : { instanceId, workflowId: known.workflowId, running: (after.get(instanceId) ?? known.status) === "running" };
    }),
  };
}

/** The same idempotency key again: the first outcome, if it is the same event. */
function replay(
  previous: { id: string; type: string; occurredAtMs: number; occurredAt: string; ref: string }, ev: IncomingEvent, at: number,
): { result: EventResult; wake: Wake } {
  if (previous.type !== ev.type || previous.occurredAtMs !== at || previous.ref !== ev.caseRef) {
    throw new DomainFailure("idempotency_conflict", "La chiave di idempotenza è già stata usata per un evento diverso");
  }
  return {
    result: {
      event: { id: previous.id, type: previous.type, occurredAt: previous.occurredAt }, case: { ref: previous.ref },
      replayed: true, timelines: [], deadlines: [],
    },
    wake: { start: [], replan: [] },
  };
}
