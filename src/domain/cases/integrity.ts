/**
 * The integrity check administrators see (and the daily job logs): cases
 * held outside their owner office's district, cases still waiting for the
 * move to the district layout, and references that could not take their
 * canonical spelling. Every district's database is asked at once.
 */
import { eq } from "drizzle-orm";
import type { Principal } from "../../auth/principal.js";
import { audit, auditInsert } from "../../db/audit.js";
import type { Db } from "../../db/client.js";
import { caseDbs, centralDb, districtCodes } from "../../db/districts.js";
import { movableCount } from "../../db/move.js";
import { type Misplaced, misplacedCases } from "../../db/placement.js";
import { type RefCollision, refCollisions, runningStarts } from "../../db/ref-review.js";
import { caseRefReview } from "../../db/schema.js";
import { formatRomeInstant } from "../../engine/rome.js";
import type { Bindings } from "../../env.js";
import { DomainFailure } from "../failure.js";
import { enabledBills } from "../../timelines/catalog.js";
import { wakeAll } from "../../workflows/wake.js";
import { applyEvent } from "../events/apply-event.js";

export interface IntegrityReport {
  misplaced: Misplaced[];
  /** Cases of districts with a database of their own still in the central database (the move is pending). */
  awaitingMove: number;
  referenceCollisions: RefCollision[];
}

/** At most `limit` misplaced cases per district database. */
export async function checkIntegrity(env: Bindings, limit = 100): Promise<IntegrityReport> {
  const dbs = caseDbs(env);
  const [misplaced, awaitingMove, collisions] = await Promise.all([
    Promise.all(dbs.map((db) => misplacedCases(db, limit))),
    movableCount(centralDb(env), districtCodes(env)),
    Promise.all(dbs.map((db) => refCollisions(db))),
  ]);
  return { misplaced: misplaced.flat(), awaitingMove, referenceCollisions: collisions.flat() };
}

/** The integrity report names cases (their numbers): reading it is a consultation, logged with its reason. */
export async function auditIntegrityRead(env: Bindings, actor: string, requestId: string, r: IntegrityReport, reason: string): Promise<void> {
  await audit(centralDb(env), {
    actor, action: "integrity.read", caseId: null, requestId, reason,
    detail: { misplaced: r.misplaced.map((m) => m.ref), collisions: r.referenceCollisions.map((x) => x.caseId) },
  }, Date.now());
}

/**
 * Withdraws a listed duplicate: each running timeline of it is withdrawn by cancelling its starting
 * event (its offices are told, as for any cancellation), and it leaves the list (still recorded as
 * resolved, so that it never moves); the other case, under the canonical reference, carries on.
 * Returns how many timelines were withdrawn.
 */
export async function withdrawDuplicate(env: Bindings, p: Principal, caseId: string, now: number, requestId: string | null): Promise<number> {
  const found = (await Promise.all(caseDbs(env).map(async (db) => ({ db, listed: (await refCollisions(db)).find((r) => r.caseId === caseId) }))))
    .find((x) => x.listed !== undefined);
  if (found === undefined) throw new DomainFailure("not_found", "Nessun riferimento da verificare con questo identificativo");
  const { db, listed } = found as { db: Db; listed: RefCollision };
  const starts = await runningStarts(db, caseId);
  for (const eventId of starts) {
    const { wake } = await applyEvent(db, p, { type: "event.cancelled", caseRef: listed.ref, occurredAt: formatRomeInstant(now), data: { eventId } }, {
      idempotencyKey: `ref-review:${caseId}:${eventId}`, now, requestId, billEnabled: enabledBills(env.ENABLED_BILLS), appBaseUrl: env.APP_BASE_URL,
      caseHint: { office: listed.office },
    });
    await wakeAll(env, db, wake, now);
  }
  await db.batch([
    db.update(caseRefReview).set({ resolvedAt: now }).where(eq(caseRefReview.caseId, caseId)),
    auditInsert(db, { actor: p.id, action: "case.duplicate-withdrawn", caseId, requestId, detail: { ref: listed.ref, canonical: listed.canonical, kept: listed.otherCaseId, timelines: starts.length } }, now),
  ]);
  return starts.length;
}
