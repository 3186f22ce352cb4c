/**
 * A preview is a case that is never kept: the events go through applyEvent,
 * periods roll through rollPeriod, on a database of its own with a directory
 * of placeholder offices. So the preview computes exactly what a case would
 * (recurrences, suspensions, corrections, every attendance week) — it is the
 * same code — and answers with the deadlines it left.
 */
import { and, asc, eq, inArray, lte } from "drizzle-orm";
import type { Principal } from "../auth/principal.js";
import type { Db } from "../db/client.js";
import { claim } from "../db/delivery.js";
import { deadlines, notifications, offices, timelineInstances } from "../db/schema.js";
import { applyEvent } from "../domain/events/apply-event.js";
import { rollPeriod } from "../domain/stages/roll-period.js";
import { lapseStage } from "../domain/stages/lapse-stage.js";
import { parseInstant } from "../engine/instant.js";
import { formatRomeInstant } from "../engine/rome.js";
import { DomainFailure } from "../domain/failure.js";
import { getTimeline, isTrigger, latest } from "../timelines/catalog.js";
import { rungsOf } from "../timelines/definition.js";

export interface PreviewInput {
  timeline: string;
  version: number;
  calendar: string;
  events: { type: string; occurredAt: string; data?: Record<string, unknown> }[];
  /** Periods that start by this instant are shown (default: the last event's). */
  untilMs?: number;
  /** The caller's clock: events may lie in the future of it (a plan). */
  now: number;
  /** Bills the deployment runs, besides the one previewed. */
  bills: readonly string[];
}

interface PreviewDeadline {
  stage: string;
  seq: number;
  title: string;
  basis: string;
  office: string;
  startedAt: string;
  dueAt: string;
  dueDate: string | null;
  status: string;
  outcome: string | null;
  why: Record<string, unknown>;
  rungs: { rung: string; kind: string; level: number; sendAt: string; status: string }[];
}

export interface PreviewResult {
  deadlines: PreviewDeadline[];
  closed: boolean;
}

/** The district of the placeholder directory (two letters, as a real one). */
const DISTRICT = "ZZ";
const CASE_REF = "anteprima-1";
const LEVELS = 5;
/** No preview rolls more periods than this (ten years of weeks). */
const MAX_PERIODS = 520;
const PREVIEWER: Principal = { id: "system:preview", role: "admin", offices: new Set() };

/** One office per kind, each with a chain of superiors, so every rung of every stage is planned. */
async function seedDirectory(db: Db, calendar: string): Promise<void> {
  const kinds = new Set(latest().flatMap((t) => Object.values(t.roles)));
  const rows: (typeof offices.$inferInsert)[] = [];
  for (const kind of kinds) {
    for (let level = 0; level <= LEVELS; level++) {
      const id = level === 0 ? `anteprima-${kind}` : `anteprima-${kind}-${level}`;
      rows.push({
        id, kind: level === 0 ? kind : `${kind}-superiore`, name: level === 0 ? `Ufficio ${kind} (anteprima)` : `Livello superiore ${level} (anteprima)`,
        jurisdiction: DISTRICT, calendar, emails: ["anteprima@example.invalid"], fallbackEmail: "anteprima@example.invalid",
        escalatesTo: level < LEVELS ? `anteprima-${kind}-${level + 1}` : null, region: "",
      });
    }
  }
  // Ten rows a statement (D1's limit of 100 bound values), all in one batch.
  const inserts = Array.from({ length: Math.ceil(rows.length / 10) }, (_, i) => db.insert(offices).values(rows.slice(i * 10, i * 10 + 10)));
  await db.batch(inserts as [(typeof inserts)[number], ...typeof inserts]);
}

/** Opens every period that starts by `until`, and records every lapse due by then, as the sweep would. */
async function rollUntil(db: Db, until: number): Promise<void> {
  for (let n = 0; ; n++) {
    const due = await db.select().from(notifications)
      .where(and(inArray(notifications.kind, ["roll", "lapse"]), eq(notifications.status, "scheduled"), lte(notifications.sendAtMs, until)))
      .orderBy(asc(notifications.sendAtMs)).limit(1).get();
    if (due === undefined) return;
    if (n >= MAX_PERIODS) throw new DomainFailure("invalid_body", `until: l'anteprima mostra al massimo ${MAX_PERIODS} periodi`, { parameter: "until" });
    const held = (await claim(db, due.id, due.sendAtMs, 0))!;
    const d = (await db.select().from(deadlines).where(eq(deadlines.id, due.deadlineId)).get())!;
    // A preview tells no endpoint.
    await (due.kind === "lapse" ? lapseStage(db, d, held, due.sendAtMs) : rollPeriod(db, d, held, due.sendAtMs));
  }
}

function withIds(e: PreviewInput["events"][number], ids: readonly string[]): Record<string, unknown> {
  const data = { ...(e.data ?? {}) };
  if (isTrigger(e.type)) {
    // The placeholder directory stands in for the offices: the preview shows rules, not people.
    delete data.offices;
    data.jurisdiction = DISTRICT;
  }
  // An amendment names the earlier event by its position in the list.
  const ref = data.eventId;
  if ((typeof ref === "number" || (typeof ref === "string" && /^\d{1,2}$/.test(ref))) && ids[Number(ref)] !== undefined) data.eventId = ids[Number(ref)];
  return data;
}

/** The events in order, each after the periods that started before it; a refusal names the event. */
export async function runPreview(db: Db, input: PreviewInput): Promise<PreviewResult> {
  await seedDirectory(db, input.calendar);
  const ids: string[] = [];
  let last = -Infinity;
  for (const [i, e] of input.events.entries()) {
    const at = parseInstant(e.occurredAt);
    const atMs = at.ok ? at.ms : 0;
    last = Math.max(last, atMs);
    try {
      await rollUntil(db, atMs);
      const { result } = await applyEvent(db, PREVIEWER, { type: e.type, caseRef: CASE_REF, occurredAt: e.occurredAt, data: withIds(e, ids) }, {
        idempotencyKey: `anteprima-${i}`, now: Math.max(input.now, atMs), requestId: null, obligation: true,
        billEnabled: (id) => id === input.timeline || input.bills.includes(id) || input.bills.includes("all"),
      });
      ids.push(result.event.id);
    } catch (err) {
      throw err instanceof DomainFailure ? atEvent(err, i) : err;
    }
  }
  await rollUntil(db, input.untilMs ?? last);
  return read(db, input);
}

/** The refusal, said of the event that caused it. */
function atEvent(err: DomainFailure, i: number): DomainFailure {
  const param = typeof err.facts.parameter === "string" ? err.facts.parameter : "type";
  const parameter = `events.${i}.${param}`;
  const detail = err.detail.startsWith(`${param}:`) ? `events.${i}.${err.detail}` : `events.${i}: ${err.detail}`;
  return new DomainFailure(err.code, detail, { ...err.facts, parameter });
}

async function read(db: Db, input: PreviewInput): Promise<PreviewResult> {
  const def = getTimeline(input.timeline, input.version)!;
  const instances = await db.select().from(timelineInstances).where(eq(timelineInstances.timeline, def.id)).all();
  const ids = instances.map((i) => i.id);
  if (ids.length === 0) return { deadlines: [], closed: true };
  const [rows, rungs] = await Promise.all([
    db.select().from(deadlines).where(inArray(deadlines.instanceId, ids)).all(),
    db.select().from(notifications).where(and(inArray(notifications.instanceId, ids), inArray(notifications.kind, ["reminder", "escalation"])))
      .orderBy(asc(notifications.sendAtMs)).all(),
  ]);
  const order = (stage: string) => def.stages.findIndex((s) => s.id === stage);
  rows.sort((a, b) => a.startedAtMs - b.startedAtMs || order(a.stage) - order(b.stage) || a.seq - b.seq);
  const out = rows.map((d): PreviewDeadline => {
    const stage = def.stages.find((s) => s.id === d.stage)!;
    const levels = new Map(rungsOf(def, stage).map((r) => [r.id, r.level]));
    return {
      stage: d.stage, seq: d.seq, title: stage.title, basis: stage.basis, office: stage.office,
      startedAt: formatRomeInstant(d.startedAtMs), dueAt: d.dueAt, dueDate: d.dueDate, status: d.status, outcome: d.outcome,
      why: d.explanation as Record<string, unknown>,
      rungs: rungs.filter((n) => n.deadlineId === d.id).map((n) => ({
        rung: n.rung, kind: n.kind, level: levels.get(n.rung) ?? 0, sendAt: formatRomeInstant(n.sendAtMs), status: n.status,
      })),
    };
  });
  return { deadlines: out, closed: instances.every((i) => i.status !== "running") };
}
