/**
 * A stage starts: the engine computes its deadline, the definition's rungs
 * become one notification row each, addressed through the directory.
 */
import type { Db } from "../db/client.js";
import { type Office, escalationChain } from "../db/directory.js";
import type { deadlines, notifications } from "../db/schema.js";
import { computeTerm } from "../engine/term.js";
import { ApiError } from "../http/problem.js";
import { type StageDefinition, type TimelineDefinition, rungsOf } from "../timelines/definition.js";
import { planRungs } from "../timelines/schedule.js";

export type NewDeadline = typeof deadlines.$inferInsert;
export type NewNotification = typeof notifications.$inferInsert;

export interface OpenedStage {
  deadline: NewDeadline;
  notifications: NewNotification[];
}

export async function openStage(
  db: Db, def: TimelineDefinition, stage: StageDefinition, instanceId: string, office: Office,
  start: { eventId: string; occurredAtMs: number }, seq = 1,
): Promise<OpenedStage> {
  const result = computeTerm({ from: start.occurredAtMs, ...stage.term, calendar: office.calendar });
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
  const chain = await escalationChain(db, office, Math.max(0, ...rungs.map((r) => r.level)));
  for (const r of planRungs(rungs, start.occurredAtMs, t.dueAtMs)) {
    // Recipients come from the directory; a chain that ends early has no one to tell.
    const target = r.level === 0 ? office : chain[r.level - 1];
    if (target === undefined) continue;
    rows.push({
      id: `${deadlineId}.${r.rung}`, deadlineId, instanceId, rung: r.rung, kind: r.kind, officeId: target.id,
      recipients: target.emails, sendAtMs: r.sendAtMs, status: "scheduled",
    });
  }
  return { deadline, notifications: rows };
}
