/**
 * A stage starts: the engine computes its deadline, the definition's rungs
 * become one notification row each, addressed through the directory.
 */
import type { Db } from "../../db/client.js";
import type { Directory, Office } from "../../db/directory.js";
import type { deadlines, notifications } from "../../db/schema.js";
import { eq } from "drizzle-orm";
import { events, timelineInstances } from "../../db/schema.js";
import { endsAtExactInstant, stageTerm } from "../../timelines/stage-term.js";
import { parseInstant } from "../../engine/instant.js";
import { romeWhen } from "../../engine/rome.js";
import type { Term } from "../../engine/term-types.js";
import { DomainFailure } from "../failure.js";
import { type StageDefinition, type TimelineDefinition, rungsOf } from "../../timelines/definition.js";
import { planRungs } from "../../timelines/schedule.js";
import { recordsLapse } from "../../timelines/consequence.js";

export type NewDeadline = typeof deadlines.$inferInsert;
export type NewNotification = typeof notifications.$inferInsert;

export interface OpenedStage {
  deadline: NewDeadline;
  notifications: NewNotification[];
}

export interface StageStart {
  eventId: string;
  occurredAtMs: number;
  /** role → office id on the case, for rungs addressed to a role. */
  onCase: Record<string, string>;
  /** For a date the law fixes: the date, YYYY-MM-DD (else read from the starting event). */
  dueDate?: string;
  /** The starting event's data, when at hand (else read from the event when the stage needs it). */
  data?: Record<string, unknown>;
  /** For a stage with several starts, restarted by a later event: how that start reads. */
  startLabel?: string;
}

/** When the period after this one starts, for a stage whose periods roll on. */
export function nextPeriodStart(stage: StageDefinition, dueAtMs: number): number {
  // An hour term ends at its exact instant; a day term at 23:59:59.
  return endsAtExactInstant(stage) ? dueAtMs : dueAtMs + 1000;
}

export async function openStage(
  db: Db, dir: Directory, def: TimelineDefinition, stage: StageDefinition, instanceId: string, office: Office, start: StageStart, seq = 1,
): Promise<OpenedStage> {
  const needsData = ("given" in stage.term && start.dueDate === undefined) || stage.alsoFrom !== undefined || stage.starts !== undefined;
  const data = start.data ?? (needsData ? await startingData(db, start.eventId) : {});
  const given = "given" in stage.term ? (start.dueDate ?? data.dueDate) : undefined;
  const months = "judged" in stage.term ? Number(await triggerField(db, instanceId, stage.term.judged, data)) : undefined;
  const t = earlierOfTwoStarts(stage, start.occurredAtMs, data, (from) => {
    const result = stageTerm(stage, from, { dueDate: given as string | undefined, months }, office.calendar);
    if (!result.ok) throw termFailure(stage, result.failure.reason);
    return result.term;
  });
  // The first period keeps the plain id; later periods of a recurring stage are numbered.
  const deadlineId = seq === 1 ? `${instanceId}.${stage.id}` : `${instanceId}.${stage.id}.${seq}`;
  const deadline: NewDeadline = {
    id: deadlineId, instanceId, stage: stage.id, seq, officeId: office.id, startedByEvent: start.eventId, startedAtMs: start.occurredAtMs,
    dueAt: t.dueAt, dueAtMs: t.dueAtMs, dueDate: t.dueDate ?? null, status: stage.informational ? "informational" : "open",
    explanation: {
      basis: stage.basis, term: stage.term, informational: stage.informational, date: stage.date, consequence: stage.consequence,
      plainDate: t.plainDate, extendedDate: t.extendedDate,
      flags: t.flags, steps: [...startStep(stage, data, start.startLabel), ...t.steps], notes: def.notes,
    },
  };
  const rows: NewNotification[] = [];
  const rungs = rungsOf(def, stage);
  const top = Math.max(0, ...rungs.map((r) => r.level));
  // One chain walk per office, however many rungs climb it.
  const chains = new Map<string, Office[]>();
  const climb = (from: Office | undefined, level: number): Office | undefined => {
    if (from === undefined || level === 0) return from;
    if (!chains.has(from.id)) chains.set(from.id, dir.chain(from, top));
    return chains.get(from.id)![level - 1];
  };
  for (const r of planRungs(rungs, start.occurredAtMs, t.dueAtMs)) {
    // Recipients come from the directory; a chain that ends early has no one to tell.
    const onCase = r.role === undefined ? undefined : start.onCase[r.role];
    const target = climb(r.role === undefined ? office : onCase === undefined ? undefined : dir.get(onCase), r.level);
    if (target === undefined) continue;
    rows.push({
      id: `${deadlineId}.${r.rung}`, deadlineId, instanceId, rung: r.rung, kind: r.kind, officeId: target.id,
      recipients: target.emails, sendAtMs: r.sendAtMs, status: "scheduled",
    });
  }
  if (recordsLapse(stage.consequence)) {
    // Not a message: the action that records the lapse if the stage is still open once its term has
    // ended, at the first instant after it (an act at the due instant itself is in time).
    rows.push({
      id: `${deadlineId}.lapse`, deadlineId, instanceId, rung: "lapse", kind: "lapse", officeId: office.id,
      recipients: [], sendAtMs: t.dueAtMs + 1, status: "scheduled",
    });
  }
  if (stage.rolls) {
    // Not a message: the action that opens the next period when this one ends.
    rows.push({
      id: `${deadlineId}.roll`, deadlineId, instanceId, rung: "roll", kind: "roll", officeId: office.id,
      recipients: [], sendAtMs: nextPeriodStart(stage, t.dueAtMs), status: "scheduled",
    });
  }
  return { deadline, notifications: rows };
}

/** Where the law gives several starts, the one this term runs from, named first in the reason. */
function startStep(stage: StageDefinition, data: Record<string, unknown>, restart: string | undefined) {
  const s = stage.starts;
  if (s === undefined) return [];
  const value = data[s.field];
  const label = restart ?? (typeof value === "string" && Object.hasOwn(s.labels, value) ? s.labels[value]! : Object.values(s.labels)[0]!);
  return [{ rule: "start" as const, citation: s.citation, text: `Il termine decorre ${label}` }];
}

/**
 * A stage that may run from a second instant of its starting event (alsoFrom):
 * the earlier-ending deadline rules, and the reason gives both.
 */
function earlierOfTwoStarts(stage: StageDefinition, fromMs: number, data: Record<string, unknown>, term: (from: number) => Term): Term {
  const own = term(fromMs);
  const also = stage.alsoFrom;
  const other = also === undefined || typeof data[also.field] !== "string" ? undefined : parseInstant(data[also.field] as string);
  if (also === undefined || other === undefined || !other.ok || other.ms === fromMs) return own;
  if (other.ms > fromMs) {
    const parameter = `data.${also.field}`;
    throw new DomainFailure("invalid_body", `${parameter}: non può essere successivo a occurredAt`, { parameter });
  }
  const alt = term(other.ms);
  const first = alt.dueAtMs <= own.dueAtMs ? alt : own;
  const said = romeWhen;
  const text =
    also.why + ": " + also.fieldLabel + " (" + said(other.ms) + ") il termine scade il " + said(alt.dueAtMs) +
    ", " + also.eventLabel + " (" + said(fromMs) + ") il " + said(own.dueAtMs) +
    "; promemoria e segnalazioni seguono la scadenza più vicina, il " + said(first.dueAtMs) + " (ora italiana)";
  return { ...first, steps: [{ rule: "two-starts", citation: also.citation, text }, ...first.steps] };
}

/** Why a term cannot be counted, naming the field that is missing where one is. */
function termFailure(stage: StageDefinition, reason: string): DomainFailure {
  if (reason === "missing-due-date") return new DomainFailure("invalid_body", "data.dueDate: indicare la data di scadenza (AAAA-MM-GG)", { parameter: "data.dueDate" });
  if (reason === "missing-judged-length" && "judged" in stage.term) {
    const parameter = `data.${stage.term.judged}`;
    return new DomainFailure("invalid_body", `${parameter}: indicare la durata in mesi fissata dalla decisione`, { parameter });
  }
  return new DomainFailure("invalid_body", `occurredAt: il termine non è calcolabile (${reason})`, { parameter: "occurredAt" });
}

/** A field of the event that started the timeline: this event's own when it is the trigger, else the stored trigger's. */
async function triggerField(db: Db, instanceId: string, field: string, data: Record<string, unknown>): Promise<unknown> {
  if (data[field] !== undefined) return data[field];
  const row = await db.select({ data: events.data }).from(timelineInstances)
    .innerJoin(events, eq(events.id, timelineInstances.startedByEvent)).where(eq(timelineInstances.id, instanceId)).get();
  return row?.data[field];
}

async function startingData(db: Db, eventId: string): Promise<Record<string, unknown>> {
  return (await db.select({ data: events.data }).from(events).where(eq(events.id, eventId)).get())?.data ?? {};
}
