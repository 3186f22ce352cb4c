/**
 * A stage starts: the engine computes its deadline, the definition's rungs
 * become one notification row each, addressed through the directory.
 */
import type { Db } from "../db/client.js";
import { type Office, escalationChain, getOffice } from "../db/directory.js";
import type { deadlines, notifications } from "../db/schema.js";
import { eq } from "drizzle-orm";
import { events } from "../db/schema.js";
import { endsAtExactInstant, stageTerm } from "../timelines/stage-term.js";
import { ApiError } from "../http/problem.js";
import { type StageDefinition, type TimelineDefinition, rungsOf } from "../timelines/definition.js";
import { planRungs } from "../timelines/schedule.js";

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
}

/** When the period after this one starts, for a stage whose periods roll on. */
export function nextPeriodStart(stage: StageDefinition, dueAtMs: number): number {
  // An hour term ends at its exact instant; a day term at 23:59:59.
  return endsAtExactInstant(stage) ? dueAtMs : dueAtMs + 1000;
}

export async function openStage(
  db: Db, def: TimelineDefinition, stage: StageDefinition, instanceId: string, office: Office, start: StageStart, seq = 1,
): Promise<OpenedStage> {
  const given = "given" in stage.term ? (start.dueDate ?? (await startingData(db, start.eventId)).dueDate) : undefined;
  const result = stageTerm(stage, start.occurredAtMs, given as string | undefined, office.calendar);
  if (!result.ok) {
    throw new ApiError("invalid_body", `occurredAt: il termine non è calcolabile (${result.failure.reason})`, { parameter: "occurredAt" });
  }
  const t = result.term;
  // The first period keeps the plain id; later periods of a recurring stage are numbered.
  const deadlineId = seq === 1 ? `${instanceId}.${stage.id}` : `${instanceId}.${stage.id}.${seq}`;
  const deadline: NewDeadline = {
    id: deadlineId, instanceId, stage: stage.id, seq, officeId: office.id, startedByEvent: start.eventId, startedAtMs: start.occurredAtMs,
    dueAt: t.dueAt, dueAtMs: t.dueAtMs, dueDate: t.dueDate ?? null, status: stage.informational ? "informational" : "open",
    explanation: {
      basis: stage.basis, term: stage.term, informational: stage.informational, plainDate: t.plainDate, extendedDate: t.extendedDate,
      flags: t.flags, steps: t.steps, notes: def.notes,
    },
  };
  const rows: NewNotification[] = [];
  const rungs = rungsOf(def, stage);
  const top = Math.max(0, ...rungs.map((r) => r.level));
  // One chain lookup per office, however many rungs climb it.
  const chains = new Map<string, Promise<Office[]>>();
  const climb = async (from: Office | undefined, level: number): Promise<Office | undefined> => {
    if (from === undefined || level === 0) return from;
    if (!chains.has(from.id)) chains.set(from.id, escalationChain(db, from, top));
    return (await chains.get(from.id)!)[level - 1];
  };
  for (const r of planRungs(rungs, start.occurredAtMs, t.dueAtMs)) {
    // Recipients come from the directory; a chain that ends early has no one to tell.
    const target = await climb(r.role === undefined ? office : await roleOffice(db, start.onCase, r.role), r.level);
    if (target === undefined) continue;
    rows.push({
      id: `${deadlineId}.${r.rung}`, deadlineId, instanceId, rung: r.rung, kind: r.kind, officeId: target.id,
      recipients: target.emails, sendAtMs: r.sendAtMs, status: "scheduled",
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

async function startingData(db: Db, eventId: string): Promise<Record<string, unknown>> {
  return (await db.select({ data: events.data }).from(events).where(eq(events.id, eventId)).get())?.data ?? {};
}

async function roleOffice(db: Db, onCase: Record<string, string>, role: string): Promise<Office | undefined> {
  const id = onCase[role];
  return id === undefined ? undefined : getOffice(db, id);
}
