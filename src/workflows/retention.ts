/**
 * The daily retention purge (cron "17 2 * * *"): cases quiet for the
 * retention period with no running timeline, oldest first, in batches of
 * PURGE_BATCH, each batch one D1 transaction; then inbound receipts and the
 * local mail outbox by age, and subscriptions' event logs after OUTBOUND_LOG_DAYS. Bounded per run (batches and time): what is left
 * goes the next day.
 */
import type { Db } from "../db/client.js";
import { caseDbs } from "../db/districts.js";
import { PURGE_BATCH, type PurgedCounts, purgeAuditLog, purgeByAge, purgeCases, purgeableCases } from "../db/retention.js";
import { purgeOutboundLog } from "../db/outbound-log.js";
import { config } from "../config.js";
import { RECEIPT_RETENTION_MS, retentionCutoff } from "../domain/cases/retention.js";
import { checkIntegrity } from "../domain/cases/integrity.js";
import type { Bindings } from "../env.js";

export const RETENTION_CRON = "17 2 * * *";
/** Outbound events deleted per batch. */
const OUTBOUND_PURGE_BATCH = 5_000;
/** Audit rows deleted per statement. */
const AUDIT_PURGE_BATCH = 10_000;

export interface RetentionOptions {
  /** Cases per batch (at most PURGE_BATCH). */
  batch?: number;
  /** Batches per run. */
  batches?: number;
  /** Wall-clock budget of a run, in milliseconds. */
  budgetMs?: number;
}

export interface RetentionCounts extends PurgedCounts { cutoff: number; receipts: number; mail: number; auditEntries: number; outboundDeliveries: number; outboundEvents: number }

/** Every district's database in turn, within one run's bounds. */
export async function retention(env: Bindings, now: number, o: RetentionOptions = {}): Promise<RetentionCounts> {
  const years = config(env).RETENTION_YEARS;
  const cutoff = retentionCutoff(now, years);
  const until = Date.now() + (o.budgetMs ?? 20_000);
  const counts: RetentionCounts = { cutoff, cases: 0, events: 0, deadlines: 0, notifications: 0, receipts: 0, mail: 0, auditEntries: 0, outboundDeliveries: 0, outboundEvents: 0 };
  for (const db of caseDbs(env)) await purgeDistrict(db, cutoff, now, until, o, counts);
  // Subscriptions' event logs keep OUTBOUND_LOG_DAYS (docs: catch-up); an event still being delivered stays.
  const logBefore = now - config(env).OUTBOUND_LOG_DAYS * 86_400_000;
  for (const db of caseDbs(env)) {
    for (let more = true; more && Date.now() < until;) {
      const n = await purgeOutboundLog(db, logBefore, OUTBOUND_PURGE_BATCH);
      counts.outboundDeliveries += n.deliveries;
      counts.outboundEvents += n.events;
      more = n.deliveries > 0 || n.events === OUTBOUND_PURGE_BATCH || n.emptied === OUTBOUND_PURGE_BATCH;
    }
  }
  // The audit log's rows, once older than their own period (docs/security.md, Data protection).
  const logCutoff = retentionCutoff(now, config(env).AUDIT_RETENTION_YEARS);
  for (const db of caseDbs(env)) {
    // In batches, within the run's time: a busy database writes more rows a day than one batch.
    for (let n = AUDIT_PURGE_BATCH; n === AUDIT_PURGE_BATCH && Date.now() < until;) {
      n = await purgeAuditLog(db, logCutoff, now, AUDIT_PURGE_BATCH);
      counts.auditEntries += n;
    }
  }
  console.log(JSON.stringify({ level: "info", action: "retention", ...counts }));
  // Once a day, the same night: a case outside its owner's district, or two cases for one reference,
  // is an error an administrator must see (the administration page lists them).
  const found = await checkIntegrity(env);
  if (found.misplaced.length > 0) {
    console.error(JSON.stringify({ level: "error", action: "districts.misplaced", cases: found.misplaced.length, districts: [...new Set(found.misplaced.map((m) => m.district))] }));
  }
  if (found.referenceCollisions.length > 0) console.error(JSON.stringify({ level: "error", action: "references.collisions", cases: found.referenceCollisions.length }));
  return counts;
}

async function purgeDistrict(db: Db, cutoff: number, now: number, until: number, o: RetentionOptions, counts: RetentionCounts): Promise<void> {
  const size = Math.min(o.batch ?? PURGE_BATCH, PURGE_BATCH);
  for (let b = 0; b < (o.batches ?? 50) && Date.now() < until; b++) {
    const ids = await purgeableCases(db, cutoff, size);
    if (ids.length === 0) break;
    const purged = await purgeCases(db, ids, cutoff, now);
    counts.cases += purged.cases;
    counts.events += purged.events;
    counts.deadlines += purged.deadlines;
    counts.notifications += purged.notifications;
    // None of these went (each gained an event in between): stop rather than pick them again.
    if (purged.cases === 0) break;
  }
  counts.receipts += await purgeByAge(db, "webhook_deliveries", "received_at", now - RECEIPT_RETENTION_MS, 10_000);
  counts.mail += await purgeByAge(db, "mail_outbox", "created_at", cutoff, 10_000);
}
