/**
 * Moving a deployment from the single-database layout to the district one
 * (POST /api/v1/districts/move, scripts/move-to-districts.mjs): a bounded
 * run moves the oldest cases first, MOVE_BATCH at a time, each to its owner
 * office's district; the workflows of their running timelines start again
 * on the district's database, and the old ones are ended.
 */
import { eq } from "drizzle-orm";
import { centralDb, districtCodes, districtDb } from "../db/districts.js";
import { MOVE_BATCH, copyCases, dropMoved, holdClashes, movableCases, movableCount } from "../db/move.js";
import { replicateDirectory } from "../db/replicate.js";
import { timelineInstances } from "../db/schema.js";
import type { Bindings } from "../env.js";
import { startWorkflow } from "./wake.js";

export interface MoveCounts {
  moved: Record<string, number>;
  /** Workflows started again on their district's database. */
  restarted: number;
  /** Cases the central database still holds for a district of its own. */
  remaining: number;
}

export async function moveToDistricts(env: Bindings, now: number, limit: number): Promise<MoveCounts> {
  const central = centralDb(env);
  const codes = districtCodes(env);
  const out: MoveCounts = { moved: {}, restarted: 0, remaining: 0 };
  // The cases' rows name offices, senders and subscriptions: each district's copy of the directory first.
  const copies = await replicateDirectory(env);
  if (copies.failed.length > 0) throw new Error(`directory not copied to ${copies.failed.join(", ")}`);
  const todo = await movableCases(central, codes, limit);
  for (const code of new Set(todo.map((m) => m.district))) {
    const ids = todo.filter((m) => m.district === code).map((m) => m.id);
    const district = districtDb(env, code);
    for (let i = 0; i < ids.length; i += MOVE_BATCH) {
      const held = await holdClashes(central, district, ids.slice(i, i + MOVE_BATCH), now);
      const group = ids.slice(i, i + MOVE_BATCH).filter((id) => !held.includes(id));
      if (held.length > 0) console.error(JSON.stringify({ level: "error", action: "districts.move-held", district: code, cases: held.length }));
      if (group.length === 0) continue;
      const { running } = await copyCases(central, district, group);
      out.moved[code] = (out.moved[code] ?? 0) + (await dropMoved(central, group, code, now));
      for (const r of running) out.restarted += await restart(env, district, r, now);
    }
  }
  out.remaining = await movableCount(central, codes);
  console.log(JSON.stringify({ level: "info", action: "districts.move", ...out }));
  return out;
}

/** The timeline's workflow, started again on the district's database; the old one ended (it would read the central one). */
async function restart(env: Bindings, district: ReturnType<typeof districtDb>, r: { id: string; workflowId: string }, now: number): Promise<number> {
  const workflowId = `${r.id}-${now}`;
  try {
    await startWorkflow(env, district, r.id, workflowId);
    await district.update(timelineInstances).set({ workflowId }).where(eq(timelineInstances.id, r.id)).run();
  } catch {
    // Not started: the sweep finds its due messages on the district's database and starts it.
    return 0;
  }
  try {
    await (await env.TIMELINE.get(r.workflowId)).terminate();
  } catch {
    // Already ended, or unknown to the engine.
  }
  return 1;
}
