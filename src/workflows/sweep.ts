/**
 * The cron sweep (every 5 minutes): delivers whatever is due — first
 * attempts, retries, claims a dead sender left — through the same
 * idempotent path as the workflows, then makes sure each affected workflow
 * is alive. A stalled workflow or a restarted local server therefore
 * delays a notification by at most one sweep.
 *
 * When the provider is down the sweep stops after a few failures in a row
 * rather than spending a timeout on every row: what it leaves is still due,
 * and the next sweep tries again.
 */
import type { Db } from "../db/client.js";
import { caseDbs } from "../db/districts.js";
import { replicateDirectory } from "../db/replicate.js";
import { clearWorkflowFailure, listWorkflowFailures, recordWorkflowFailure } from "../db/workflow-failures.js";
import { dueNotifications } from "../db/delivery.js";
import type { Bindings } from "../env.js";
import { type DeliveryOutcome, deliver } from "../notify/deliver.js";
import { deliveryContext, staleClaimMs } from "../notify/context.js";
import { ensureAwake } from "./wake.js";
import { type OutboundSweepCounts, sweepOutbound } from "../outbound/sweep.js";

const BATCH = 200;
/** Pages of BATCH rows one sweep takes at most (inside its time budget). */
const PAGES = 20;
/** Failed workflow starts retried per sweep. */
const RESTARTS = 100;
/** Failed attempts in a row after which the provider is taken to be down for this sweep. */
const BREAKER = 3;
/** No new attempt after this long: the next sweep (5 minutes) carries on. */
const BUDGET_MS = 4 * 60_000;

export type SweepCounts = Record<DeliveryOutcome | "deferred" | "recovered", number> & { webhooks?: OutboundSweepCounts };

/** Workflows whose start or wake failed: started (or woken) again, the oldest first; how many are settled. */
async function restartFailed(env: Bindings, db: Db, now: number): Promise<number> {
  let recovered = 0;
  for (const f of await listWorkflowFailures(db, RESTARTS)) {
    try {
      await ensureAwake(env, db, f.instanceId, now, false);
      await clearWorkflowFailure(db, f.instanceId);
      recovered++;
    } catch (e) {
      await recordWorkflowFailure(db, f.instanceId, f.action as "start" | "wake", e instanceof Error ? e.name : "unknown", now);
    }
  }
  return recovered;
}

/**
 * Every district at once (each database serves its own queries), within one
 * budget; the directory's copies are brought up to date first, so a change
 * whose copy failed reaches its district within one sweep.
 */
export async function sweep(env: Bindings, now: number): Promise<SweepCounts> {
  const started = Date.now();
  const replicated = await replicateDirectory(env).catch(() => undefined);
  const all = await Promise.all(caseDbs(env).map((db) => sweepDistrict(env, db, now, started)));
  const counts = all.reduce((sum, c) => add(sum, c));
  const webhooks = Object.values(counts.webhooks ?? {}).some((n) => n > 0);
  const copied = (replicated?.copied.length ?? 0) + (replicated?.failed.length ?? 0) > 0;
  if (counts.seen > 0 || counts.recovered > 0 || webhooks || copied) {
    const { seen: _seen, ...logged } = counts;
    console.log(JSON.stringify({ level: "info", action: "sweep", ...logged, ...(copied ? { directory: replicated } : {}) }));
  }
  const { seen: _seen, ...out } = counts;
  return out;
}

type Tallied = SweepCounts & { seen: number };

function add(a: Tallied, b: Tallied): Tallied {
  const out: Tallied = { ...a };
  for (const k of Object.keys(b) as (keyof Tallied)[]) {
    if (k !== "webhooks") out[k] = a[k] + b[k];
  }
  if (a.webhooks !== undefined && b.webhooks !== undefined) {
    const w: OutboundSweepCounts = { ...a.webhooks };
    for (const k of Object.keys(b.webhooks) as (keyof OutboundSweepCounts)[]) w[k] += b.webhooks[k];
    out.webhooks = w;
  }
  return out;
}

async function sweepDistrict(env: Bindings, db: Db, now: number, started: number): Promise<Tallied> {
  const counts: SweepCounts = {
    sent: 0, retrying: 0, failed: 0, cancelled: 0, superseded: 0, "already-done": 0, "not-due": 0, "in-flight": 0, deferred: 0, recovered: 0,
  };
  const ctx = deliveryContext(env, "system:cron", now, db);
  let failuresInARow = 0;
  const seen = new Map<string, string>(); // notification → instance
  // Page after page while the budget lasts: at 08:00 one page's first rows gather whole offices into
  // digests, and the next page takes the offices that are left (the rows already handled are not due).
  for (let page = 0; page < PAGES; page++) {
    const overdue = (await dueNotifications(db, now, BATCH, staleClaimMs(env))).filter((n) => !seen.has(n.id));
    for (const n of overdue) {
      seen.set(n.id, n.instanceId);
      if (failuresInARow >= BREAKER || Date.now() - started > BUDGET_MS) {
        counts.deferred++;
        continue;
      }
      const outcome = await deliver(ctx, n.id, ctx.now());
      counts[outcome]++;
      if (outcome === "retrying" || outcome === "failed") failuresInARow++;
      else if (outcome === "sent") failuresInARow = 0;
    }
    if (overdue.length < BATCH || counts.deferred > 0) break;
  }
  counts.webhooks = await sweepOutbound(env, db, now, started + BUDGET_MS);
  for (const instanceId of new Set(seen.values())) {
    try {
      await ensureAwake(env, db, instanceId, now, false);
    } catch {
      // The next sweep tries again.
    }
  }
  counts.recovered = await restartFailed(env, db, now);
  return { ...counts, seen: seen.size };
}
