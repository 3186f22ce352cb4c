/**
 * An event arrives (webhook or staff API): validate it against the case's
 * state, then write everything it changes in one D1 batch — the event, the
 * deadlines it opens and closes, their notifications, the audit row — so a
 * refusal or a failure leaves nothing half-written. Workflows are woken
 * afterwards; D1 stays the source of truth if waking fails (the cron sweep).
 */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { BatchItem } from "drizzle-orm/batch";
import type { Principal } from "../auth/principal.js";
import { requireCaseAccess } from "../auth/principal.js";
import { auditInsert } from "../db/audit.js";
import { type Deadline, type Instance, deadlinesOf, eventByKey, findCase, officesOfCase, runningInstance } from "../db/cases.js";
import type { Db } from "../db/client.js";
import { getOffice } from "../db/directory.js";
import { caseOffices, cases, deadlines, events, notifications, timelineInstances } from "../db/schema.js";
import { parseInstant } from "../engine/instant.js";
import { validate } from "../http/body.js";
import { ApiError } from "../http/problem.js";
import { TIMELINES } from "../timelines/catalog.js";
import type { TimelineDefinition } from "../timelines/definition.js";
import { openStage, type OpenedStage } from "./open-stage.js";
import { resolveOffices } from "./resolve-offices.js";
import { EVENT_DATA, type EventType } from "./schemas.js";

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
  /** Written in the same batch, given the result (e.g. the webhook's delivery record). */
  extra?: (result: EventResult) => BatchItem<"sqlite">[];
}

export interface EventResult {
  event: { id: string; type: string; occurredAt: string };
  case: { ref: string };
  replayed: boolean;
  timelines: { timeline: string; instanceId: string; status: "running" | "closed" }[];
  deadlines: { id: string; stage: string; office: string; status: string; dueAt: string; dueDate: string | null }[];
}

export interface Wake {
  start: string[];
  replan: string[];
}

/** Clocks of senders drift; an event further in the future is a mistake. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

type Stmt = BatchItem<"sqlite">;

export async function applyEvent(
  db: Db, p: Principal, ev: IncomingEvent, opts: ApplyOptions,
): Promise<{ result: EventResult; wake: Wake }> {
  if (!(ev.type in EVENT_DATA)) {
    throw new ApiError("unknown_event_type", `type: evento ${ev.type} non previsto da alcuno scadenzario`, { parameter: "type" });
  }
  const type = ev.type as EventType;
  // Wrapped so that errors name the field as data.<field>.
  const data = validate(z.object({ data: EVENT_DATA[type] }), { data: ev.data }).data as Record<string, unknown>;
  const parsed = parseInstant(ev.occurredAt);
  if (!parsed.ok) throw new ApiError("invalid_body", "occurredAt: istante non valido", { parameter: "occurredAt" });
  const at = parsed.ms;
  if (at > opts.now + FUTURE_TOLERANCE_MS) {
    throw new ApiError("event_in_future", "occurredAt: l'evento non può essere futuro", { parameter: "occurredAt" });
  }

  const [previous, existing] = await Promise.all([eventByKey(db, opts.idempotencyKey), findCase(db, ev.caseRef)]);
  if (previous !== undefined) return replay(db, previous, ev, at);

  const starts = TIMELINES.filter((t) => t.trigger === type);
  if (existing === undefined && starts.length === 0) {
    throw new ApiError("unknown_case", `caseRef: procedimento ${ev.caseRef} sconosciuto`, { parameter: "caseRef" });
  }
  if (existing !== undefined) await requireCaseAccess(db, p, existing.id);
  const caseId = existing?.id ?? crypto.randomUUID();
  const onCase = existing === undefined ? {} : await officesOfCase(db, existing.id);
  const eventId = crypto.randomUUID();

  const stmts: Stmt[] = [];
  const result: EventResult = {
    event: { id: eventId, type, occurredAt: ev.occurredAt }, case: { ref: ev.caseRef }, replayed: false, timelines: [], deadlines: [],
  };
  const wake: Wake = { start: [], replan: [] };
  const opened: OpenedStage[] = [];

  for (const def of TIMELINES) {
    if (def.trigger === type) {
      if (existing !== undefined && (await runningInstance(db, caseId, def.id)) !== undefined) {
        throw new ApiError("timeline_already_running", `Lo scadenzario ${def.id} è già in corso per ${ev.caseRef}`);
      }
      const roles = await resolveOffices(db, p, def.roles, {
        named: (data.offices ?? {}) as Record<string, string | undefined>,
        jurisdiction: data.jurisdiction as string | undefined,
        onCase,
      });
      if (existing === undefined && p.role !== "admin" && !Object.values(roles).some((o) => p.offices.has(o.id))) {
        throw new ApiError("forbidden", "Gli uffici competenti non sono tra quelli per cui opera il mittente");
      }
      for (const [role, office] of Object.entries(roles)) {
        if (onCase[role] === undefined) stmts.push(db.insert(caseOffices).values({ caseId, officeId: office.id, role }).onConflictDoNothing());
      }
      const instanceId = crypto.randomUUID();
      stmts.push(db.insert(timelineInstances).values({
        id: instanceId, caseId, timeline: def.id, version: def.version, status: "running",
        startedByEvent: eventId, startedAt: opts.now, workflowId: instanceId,
      }));
      for (const stage of def.stages.filter((s) => s.startsOn === type)) {
        opened.push(await openStage(db, def, stage, instanceId, roles[stage.office]!, { eventId, occurredAtMs: at }));
      }
      result.timelines.push({ timeline: def.id, instanceId, status: "running" });
      wake.start.push(instanceId);
    } else if (involves(def, type)) {
      const instance = await runningInstance(db, caseId, def.id);
      if (instance === undefined) {
        throw new ApiError("no_running_timeline", `Nessuno scadenzario ${def.id} in corso per ${ev.caseRef}`);
      }
      const closesAll = await advance(db, def, instance, type, eventId, at, opts.now, stmts, opened, onCase, result);
      result.timelines.push({ timeline: def.id, instanceId: instance.id, status: closesAll ? "closed" : "running" });
      if (closesAll) {
        stmts.push(db.update(timelineInstances).set({ status: "closed", closedAt: opts.now }).where(eq(timelineInstances.id, instance.id)));
      }
      wake.replan.push(instance.id);
    }
  }

  for (const o of opened) {
    stmts.push(db.insert(deadlines).values(o.deadline));
    if (o.notifications.length > 0) stmts.push(db.insert(notifications).values(o.notifications));
    const d = o.deadline;
    result.deadlines.push({ id: d.id, stage: d.stage, office: d.officeId, status: "open", dueAt: d.dueAt, dueDate: d.dueDate ?? null });
  }
  if (existing === undefined) stmts.unshift(db.insert(cases).values({ id: caseId, ref: ev.caseRef, createdAt: opts.now, createdBy: p.id }));
  // The event row goes right after the case row: instances and deadlines refer to it.
  stmts.splice(existing === undefined ? 1 : 0, 0, db.insert(events).values({
    id: eventId, idempotencyKey: opts.idempotencyKey, caseId, type, occurredAt: ev.occurredAt, occurredAtMs: at,
    data, source: p.id, receivedAt: opts.now,
  }));
  stmts.push(auditInsert(db, {
    actor: p.id, action: "event.recorded", caseId, requestId: opts.requestId,
    detail: { eventId, type, occurredAt: ev.occurredAt, deadlines: result.deadlines.map((d) => ({ id: d.id, status: d.status, dueAt: d.dueAt })) },
  }, opts.now));
  stmts.push(...(opts.extra?.(result) ?? []));
  try {
    await db.batch(stmts as [Stmt, ...Stmt[]]);
  } catch (err) {
    // Another event changed the case between our reads and this batch (a
    // uniqueness rule caught it); the batch rolled back as a whole.
    if (String((err as Error).message).includes("constraint failed")) {
      throw new ApiError("concurrent_update", "Il procedimento è stato modificato da un'altra richiesta nello stesso momento: riprovare");
    }
    throw err;
  }
  return { result, wake };
}

function involves(def: TimelineDefinition, type: string): boolean {
  return def.stages.some((s) => s.startsOn === type || type in s.closesOn);
}

/** Closes the stages `type` closes and opens those it starts; true when nothing stays open. */
async function advance(
  db: Db, def: TimelineDefinition, instance: Instance, type: string, eventId: string, at: number, now: number,
  stmts: Stmt[], opened: OpenedStage[], onCase: Record<string, string>, result: EventResult,
): Promise<boolean> {
  const current = await deadlinesOf(db, [instance.id]);
  const byStage = new Map<string, Deadline>(current.map((d) => [d.stage, d]));
  const stillOpen = new Set(current.filter((d) => d.status === "open").map((d) => d.stage));
  for (const stage of def.stages.filter((s) => type in s.closesOn)) {
    const d = byStage.get(stage.id);
    if (d === undefined) throw new ApiError("stage_not_started", `La fase «${stage.title}» non è iniziata`);
    if (d.status !== "open") throw new ApiError("stage_closed", `La fase «${stage.title}» è già chiusa (${d.outcome ?? d.status})`);
    const started = await startOf(db, d);
    if (at < started) throw new ApiError("event_before_stage", "occurredAt: l'evento precede l'inizio della fase", { parameter: "occurredAt" });
    const status = at <= d.dueAtMs ? "met" : "late";
    stmts.push(db.update(deadlines).set({ status, outcome: stage.closesOn[type]!, closedAtMs: at, closedByEvent: eventId })
      .where(and(eq(deadlines.id, d.id), eq(deadlines.status, "open"))));
    // Reminders stop the moment the closing event arrives.
    stmts.push(db.update(notifications).set({ status: "cancelled" })
      .where(and(eq(notifications.deadlineId, d.id), eq(notifications.status, "scheduled"))));
    stillOpen.delete(stage.id);
    result.deadlines.push({ id: d.id, stage: d.stage, office: d.officeId, status, dueAt: d.dueAt, dueDate: d.dueDate });
  }
  for (const stage of def.stages.filter((s) => s.startsOn === type)) {
    if (byStage.has(stage.id)) throw new ApiError("stage_closed", `La fase «${stage.title}» è già stata avviata`);
    const officeId = onCase[stage.office];
    const o = officeId === undefined ? undefined : await getOffice(db, officeId);
    if (o === undefined) throw new ApiError("unknown_office", `Nessun ufficio ${stage.office} per il procedimento`, { parameter: `data.offices.${stage.office}` });
    opened.push(await openStage(db, def, stage, instance.id, o, { eventId, occurredAtMs: at }));
    stillOpen.add(stage.id);
  }
  return stillOpen.size === 0;
}

async function startOf(db: Db, d: Deadline): Promise<number> {
  const row = await db.select({ at: events.occurredAtMs }).from(events).where(eq(events.id, d.startedByEvent)).get();
  return row?.at ?? 0;
}

/** The same idempotency key again: the first outcome, if it is the same event. */
async function replay(
  db: Db, previous: { id: string; type: string; occurredAtMs: number; occurredAt: string; caseId: string },
  ev: IncomingEvent, at: number,
): Promise<{ result: EventResult; wake: Wake }> {
  const c = await db.select().from(cases).where(eq(cases.id, previous.caseId)).get();
  if (previous.type !== ev.type || previous.occurredAtMs !== at || c?.ref !== ev.caseRef) {
    throw new ApiError("idempotency_conflict", "La chiave di idempotenza è già stata usata per un evento diverso");
  }
  return {
    result: {
      event: { id: previous.id, type: previous.type, occurredAt: previous.occurredAt }, case: { ref: c.ref },
      replayed: true, timelines: [], deadlines: [],
    },
    wake: { start: [], replan: [] },
  };
}
