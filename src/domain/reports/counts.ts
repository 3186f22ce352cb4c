/** The report counters a closed deadline moves, as statements for the batch that closes it. */
import type { Db } from "../../db/client.js";
import { bumpStatement } from "../../db/counters.js";
import { type Bump, closing } from "../../stats/metrics.js";
import type { TimelineDefinition } from "../../timelines/definition.js";
import { endsAtExactInstant } from "../../timelines/stage-term.js";
import type { Stmt } from "../events/changes.js";

type Closed = { stage: string; officeId: string; startedAtMs: number };

export function closingBumps(def: TimelineDefinition, d: Closed, status: "met" | "late", closedAtMs: number, by: 1 | -1 = 1): Bump[] {
  // Hour terms count their duration in hours, the others in days.
  const stage = def.stages.find((s) => s.id === d.stage);
  const hours = stage !== undefined && endsAtExactInstant(stage);
  return closing(def.id, d.stage, d.officeId, status, d.startedAtMs, closedAtMs, hours, by);
}

export function closingCounts(db: Db, def: TimelineDefinition, d: Closed, status: "met" | "late", closedAtMs: number, by: 1 | -1 = 1): Stmt[] {
  return closingBumps(def, d, status, closedAtMs, by).map((b) => bumpStatement(db, b));
}
