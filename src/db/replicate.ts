/**
 * The directory's copy in each district database. Case rows name offices,
 * senders and subscriptions (foreign keys), and the event path checks its
 * directory against the stamp it reads in the same batch as the case; so
 * every district database carries the national directory, read-only, with
 * the central stamp it was copied at. The central database stays the one
 * that administrators change; a change is copied to every district at once,
 * and the cron sweep copies again wherever a district's stamp differs (a
 * copy that failed, a district added).
 *
 * One batch per district, so a copy is whole or absent: every table is
 * sent as one JSON parameter (json-rows.ts), whatever the directory's size.
 */
import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { type Shape, insertJson, quoted, selectSql, shapeOf } from "./json-rows.js";
import type { Bindings } from "../env.js";
import { DomainFailure } from "../domain/failure.js";
import { type Db, database } from "./client.js";
import { knowsOffices, noteStamp, recentCentralStamp } from "./directory.js";
import { districtDatabases } from "./districts.js";
import { subscriptionSecrets, subscriptions } from "./outbound-schema.js";
import { offices, senderEventTypes, senderOffices, webhookSecrets, webhookSenders } from "./schema.js";

/** Parents before children: inserts go in this order, deletions in the reverse. */
const TABLES: readonly SQLiteTable[] = [offices, webhookSenders, webhookSecrets, senderOffices, senderEventTypes, subscriptions, subscriptionSecrets];

/**
 * A subscription's health (failing since, flagged) is written where its
 * deliveries fail, in the district: not copied, and not overwritten by a copy.
 */
const LOCAL: Record<string, string[]> = { subscriptions: ["failing_since", "flagged_at"] };

const SHAPES: Shape[] = TABLES.map((t) => shapeOf(t, LOCAL[getTableConfig(t).name]));

/** Remove what the central database no longer has (a revoked secret, a sender's office taken away). */
function prune(s: Shape): string {
  const match = s.key.map((k) => `json_extract(value, '$.${k}') = ${quoted(s.name)}.${quoted(k)}`).join(" AND ");
  return `DELETE FROM ${quoted(s.name)} WHERE NOT EXISTS (SELECT 1 FROM json_each(?1) WHERE ${match})`;
}

interface DirectorySnapshot {
  stamp: string;
  tables: Map<string, string>;
}

/** The central directory, read in one batch. */
async function snapshot(central: D1Database): Promise<DirectorySnapshot> {
  const [stamp, ...rows] = await central.batch<Record<string, unknown>>([
    central.prepare("SELECT stamp FROM directory_stamp"),
    ...SHAPES.map((s) => central.prepare(selectSql(s, "true"))),
  ]);
  return {
    stamp: String(stamp!.results[0]?.stamp ?? ""),
    tables: new Map(SHAPES.map((s, i) => [s.name, JSON.stringify(rows[i]!.results)])),
  };
}

/** Writes the snapshot over one district's copy, in one transaction, ending with the central stamp. */
async function copyTo(district: D1Database, snap: DirectorySnapshot): Promise<void> {
  const bind = (sql: string, s: Shape) => district.prepare(sql).bind(snap.tables.get(s.name)!);
  await district.batch([
    ...[...SHAPES].reverse().map((s) => bind(prune(s), s)),
    ...SHAPES.map((s) => bind(insertJson(s, "upsert"), s)),
    // The copy's own triggers gave it random stamps: it now says which central version it is.
    district.prepare("UPDATE directory_stamp SET stamp = ?1").bind(snap.stamp),
  ]);
}

export interface ReplicationResult {
  copied: string[];
  current: string[];
  failed: string[];
}

/**
 * Brings every district's copy to the central directory, where its stamp
 * differs. A district that fails is left as it was and reported; the next
 * sweep tries again.
 */
export async function replicateDirectory(env: Bindings): Promise<ReplicationResult> {
  const out: ReplicationResult = { copied: [], current: [], failed: [] };
  const districts = [...districtDatabases(env)];
  if (districts.length === 0) return out;
  // The stamps first: the directory itself is read only when some district's copy is behind (every sweep asks).
  const stampOf = async (d1: D1Database) => (await d1.prepare("SELECT stamp FROM directory_stamp").first<{ stamp: string }>())?.stamp;
  const [central, ...stamps] = await Promise.all([stampOf(env.DB), ...districts.map(([, d1]) => stampOf(d1).catch(() => undefined))]);
  const behind = districts.filter((_, i) => stamps[i] !== central);
  out.current.push(...districts.filter((_, i) => stamps[i] === central).map(([code]) => code).sort());
  if (behind.length === 0) return out;
  const snap = await snapshot(env.DB);
  await Promise.all(behind.map(async ([code, d1]) => {
    try {
      await copyTo(d1, snap);
      out.copied.push(code);
    } catch (e) {
      console.error(JSON.stringify({ level: "error", action: "directory.replicate", district: code, error: e instanceof Error ? e.name : "unknown" }));
      out.failed.push(code);
    }
  }));
  for (const list of Object.values(out)) list.sort();
  return out;
}

/**
 * Before an event writes into a district's database, its copy of the directory must be current: the
 * rows it writes name offices, senders and subscriptions (foreign keys), and the caller was checked
 * against the central directory. `known`: the district's stamp if the caller read it in its own
 * batch (the event path does), else it is read here; `names`: offices the request names. A copy
 * bearing the central stamp seen in the last minute costs nothing more; otherwise the central
 * stamp is read, and a copy found behind is brought up to date now (one batch). A copy that cannot
 * be made is a 503 with Retry-After, nothing written: the sender's retry finds it done (or the
 * sweep's). Returns the district's stamp after.
 */
export async function ensureCurrentCopy(db: Db, known: string | undefined, now: number, names: Iterable<string> = []): Promise<string> {
  const stamp = known ?? (await db.$client.prepare("SELECT stamp FROM directory_stamp").first<{ stamp: string }>())?.stamp ?? "";
  // An office the request names that the memory does not know may be newer than the last look at the central stamp.
  if (db.central === undefined || (recentCentralStamp(now) === stamp && knowsOffices(names))) return stamp;
  const current = (await db.central.prepare("SELECT stamp FROM directory_stamp").first<{ stamp: string }>())?.stamp ?? "";
  noteStamp(database(db.central), current, now);
  if (current === stamp) return stamp;
  try {
    const snap = await snapshot(db.central);
    await copyTo(db.$client, snap);
    console.log(JSON.stringify({ level: "info", action: "directory.caught-up", district: db.district }));
    return snap.stamp;
  } catch (e) {
    console.error(JSON.stringify({ level: "error", action: "directory.replicate", district: db.district, error: e instanceof Error ? e.name : "unknown" }));
    throw new DomainFailure("directory_behind", `La copia della rubrica del distretto ${db.district ?? ""} non è aggiornata e non è stato possibile aggiornarla ora: riprovare tra poco`);
  }
}
