/**
 * The audit log as its readers ask for it: every database's entries (the central one's
 * administration, each district's cases), filtered by case, office, who and period, newest first,
 * merged; and the names that say who each actor is.
 */
import { and, desc, eq, gte, inArray, lt, type SQL } from "drizzle-orm";
import type { Bindings } from "../env.js";
import { caseDbs, centralDb } from "./districts.js";
import { apiCredentials, auditLog, caseOffices, cases, offices, users, webhookSenders } from "./schema.js";

export interface LogFilter {
  /** A case reference, in its canonical spelling. */
  caso?: string;
  ufficio?: string;
  /** Part of who acted, as named (a person's name or address, a credential's or system's name), or an actor id. */
  chi?: string;
  /** First instant included, and first instant excluded. */
  from?: number;
  to?: number;
}

export type LogRow = { a: typeof auditLog.$inferSelect; ref: string | null };

/** Termini's own processes, as the log names them. */
const SYSTEM: Record<string, string> = {
  workflow: "Termini (lo scadenzario in corso)", cron: "Termini (il controllo ogni 5 minuti)", schedule: "Termini (il calendario degli adempimenti)",
  retention: "Termini (la cancellazione per decorso del termine di conservazione)", districts: "Termini (lo spostamento nei distretti)", termini: "Termini",
  outbound: "Termini (l'invio degli eventi ai sistemi degli uffici)",
};

/** Who each actor, office and user is, as the log's reader reads them. */
export async function logNames(env: Bindings) {
  const db = centralDb(env);
  const [people, creds, senders, dir] = await Promise.all([
    db.select({ id: users.id, email: users.email, name: users.name }).from(users).all(),
    db.select({ id: apiCredentials.id, name: apiCredentials.name }).from(apiCredentials).all(),
    db.select({ id: webhookSenders.id, name: webhookSenders.name }).from(webhookSenders).all(),
    db.select({ id: offices.id, name: offices.name }).from(offices).all(),
  ]);
  const person = (u: (typeof people)[number]) => (u.name === null ? u.email : `${u.name} (${u.email})`);
  const names = new Map<string, string>([
    ...people.map((u) => [`user:${u.id}`, person(u)] as const), ...creds.map((k) => [`credential:${k.id}`, `credenziale «${k.name}»`] as const),
    ...senders.map((s) => [`sender:${s.id}`, `sistema «${s.name}»`] as const),
  ]);
  const actor = (id: string) => names.get(id) ?? (id.startsWith("system:") ? SYSTEM[id.slice(7)] ?? "Termini" : id === "public" ? "chi non ha ancora eseguito l'accesso" : id);
  const officeName = new Map(dir.map((o) => [o.id, o.name]));
  const userName = new Map(people.map((u) => [u.id, person(u)]));
  return { actor, office: (id: string) => officeName.get(id) ?? id, user: (id: string) => userName.get(id) ?? id };
}

export type LogNames = Awaited<ReturnType<typeof logNames>>;

/** At most `limit` entries matching `f`, newest first, from every database. */
export async function readLog(env: Bindings, f: LogFilter, limit: number, names: LogNames): Promise<LogRow[]> {
  const perDb = await Promise.all(caseDbs(env).map((d) => {
    const where: SQL[] = [];
    if (f.caso !== undefined) where.push(inArray(auditLog.caseId, d.select({ id: cases.id }).from(cases).where(eq(cases.ref, f.caso))));
    if (f.ufficio !== undefined) where.push(inArray(auditLog.caseId, d.select({ id: caseOffices.caseId }).from(caseOffices).where(eq(caseOffices.officeId, f.ufficio))));
    if (f.from !== undefined) where.push(gte(auditLog.at, f.from));
    if (f.to !== undefined) where.push(lt(auditLog.at, f.to));
    // Filtering by who happens on names, after the query: ask for more so that the page fills.
    return d.select({ a: auditLog, ref: cases.ref }).from(auditLog).leftJoin(cases, eq(cases.id, auditLog.caseId))
      .where(where.length > 0 ? and(...where) : undefined).orderBy(desc(auditLog.id)).limit(f.chi === undefined ? limit : limit * 5).all();
  }));
  // Ids count per database: across several, the time orders them.
  const rows = perDb.length === 1 ? perDb[0]! : perDb.flat().sort((a, b) => b.a.at - a.a.at || b.a.id - a.a.id);
  const chi = f.chi?.toLowerCase();
  return rows.filter((r) => chi === undefined || r.a.actor.toLowerCase() === chi || names.actor(r.a.actor).toLowerCase().includes(chi)).slice(0, limit);
}
