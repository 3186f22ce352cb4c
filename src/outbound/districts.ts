/**
 * Subscriptions are national (the central directory, copied to every
 * district), but their deliveries are written where the events happen: in
 * each district's database, with the subscription's health (failing since,
 * flagged) as that district sees it. These gather them for the
 * administrators, and find the database of one delivery.
 */
import { inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { getOffice } from "../db/directory.js";
import { caseDbs, centralDb, districtDb, isDistrictLayout } from "../db/districts.js";
import { attemptsOf, deliveriesOf, getDelivery } from "../db/outbound.js";
import { eventLogOf } from "../db/outbound-log.js";
import { outboundDeliveries, subscriptions } from "../db/outbound-schema.js";
import type { SubscriptionRow } from "../domain/subscriptions/subscriptions.js";
import type { Bindings } from "../env.js";

/** With each district's health merged in: failing since the earliest failure anywhere, flagged at the latest flag. */
export async function withHealth(env: Bindings, subs: SubscriptionRow[]): Promise<SubscriptionRow[]> {
  if (!isDistrictLayout(env) || subs.length === 0) return subs;
  const rows = (await Promise.all(caseDbs(env).map((db) => db.select({ id: subscriptions.id, failingSince: subscriptions.failingSince, flaggedAt: subscriptions.flaggedAt })
    .from(subscriptions).where(sql`${subscriptions.failingSince} IS NOT NULL OR ${subscriptions.flaggedAt} IS NOT NULL`).all()))).flat();
  const min = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
  const max = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
  return subs.map((s) => rows.filter((r) => r.id === s.id)
    .reduce<SubscriptionRow>((acc, r) => ({ ...acc, failingSince: min(acc.failingSince, r.failingSince), flaggedAt: max(acc.flaggedAt, r.flaggedAt) }), s));
}

/** The newest deliveries of a subscription across districts. */
export async function deliveriesAcross(env: Bindings, subscriptionId: string, limit: number, status?: Parameters<typeof deliveriesOf>[3]) {
  const parts = await Promise.all(caseDbs(env).map(async (db) => (await deliveriesOf(db, subscriptionId, limit, status)).map((r) => ({ ...r, db }))));
  return parts.flat().sort((a, b) => b.d.createdAt - a.d.createdAt).slice(0, limit);
}

/** Waiting and given-up deliveries per subscription and status, added across districts. */
export async function deliveryCountsAcross(env: Bindings): Promise<{ s: string; status: string; n: number }[]> {
  const parts = await Promise.all(caseDbs(env).map((db) => db.select({ s: outboundDeliveries.subscriptionId, status: outboundDeliveries.status, n: sql<number>`count(*)` })
    .from(outboundDeliveries).where(inArray(outboundDeliveries.status, ["pending", "dead"])).groupBy(outboundDeliveries.status, outboundDeliveries.subscriptionId).all()));
  const sum = new Map<string, { s: string; status: string; n: number }>();
  for (const r of parts.flat()) {
    const key = `${r.s}\u0000${r.status}`;
    sum.set(key, { ...r, n: (sum.get(key)?.n ?? 0) + r.n });
  }
  return [...sum.values()];
}

/** Where a test event for this subscription is written: its office's district. */
export async function testDb(env: Bindings, sub: SubscriptionRow): Promise<Db> {
  const office = await getOffice(centralDb(env), sub.officeId);
  return districtDb(env, office?.jurisdiction ?? null);
}

/** The database holding this delivery (the central one when none does, so that it is reported as missing there). */
export async function deliveryDb(env: Bindings, deliveryId: string): Promise<Db> {
  const dbs = caseDbs(env);
  if (dbs.length === 1) return dbs[0]!;
  const found = await Promise.all(dbs.map((db) => getDelivery(db, deliveryId)));
  const i = found.findIndex((d) => d !== undefined);
  return i < 0 ? centralDb(env) : dbs[i]!;
}

/** The attempts of these deliveries, each read from the database its delivery came from. */
export async function attemptsAcross(rows: readonly { d: { id: string }; db: Db }[]) {
  const byDb = new Map<Db, string[]>();
  for (const r of rows) byDb.set(r.db, [...(byDb.get(r.db) ?? []), r.d.id]);
  return (await Promise.all([...byDb].map(([db, ids]) => attemptsOf(db, ids)))).flat();
}

/** Where an event-log reader stopped in each database (by district; "" for the single one): the last row it saw. */
export type LogCursor = Record<string, number>;

/**
 * A subscription's next `limit` events after the cursor: each database's in the order written, the
 * districts' interleaved by creation time; with the cursor moved past exactly the rows returned.
 */
export async function eventLogAcross(env: Bindings, subscriptionId: string, after: LogCursor, limit: number) {
  const dbs = caseDbs(env);
  const parts = await Promise.all(dbs.map(async (db) => {
    const key = db.district ?? "";
    return (await eventLogOf(db, subscriptionId, after[key] ?? 0, limit + 1)).map((r) => ({ ...r, key }));
  }));
  const heads = parts.map(() => 0);
  const page: (typeof parts)[number] = [];
  while (page.length < limit) {
    let pick = -1;
    parts.forEach((p, i) => {
      const r = p[heads[i]!];
      if (r !== undefined && (pick < 0 || r.createdAt < parts[pick]![heads[pick]!]!.createdAt)) pick = i;
    });
    if (pick < 0) break;
    page.push(parts[pick]![heads[pick]!++]!);
  }
  const cursor: LogCursor = { ...after };
  for (const r of page) cursor[r.key] = r.row;
  return { page, cursor, more: parts.some((p, i) => heads[i]! < p.length) };
}
