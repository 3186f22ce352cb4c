/** The report counters a closed deadline moves, as statements for the batch that closes it. */
import type { Db } from "../db/client.js";
import { bumpStatement } from "../db/counters.js";
import { closing } from "../stats/metrics.js";
import type { TimelineDefinition } from "../timelines/definition.js";
import { endsAtExactInstant } from "../timelines/stage-term.js";
import type { Stmt } from "./changes.js";

export function closingCounts(
  db: Db, def: TimelineDefinition, d: { stage: string; officeId: string; startedAtMs: number },
  status: "met" | "late", closedAtMs: number, by: 1 | -1 = 1,
): Stmt[] {
  // Hour terms count their duration in hours, the others in days.
  const stage = def.stages.find((s) => s.id === d.stage);
  const hours = stage !== undefined && endsAtExactInstant(stage);
  return closing(def.id, d.stage, d.officeId, status, d.startedAtMs, closedAtMs, hours, by).map((b) => bumpStatement(db, b));
}
