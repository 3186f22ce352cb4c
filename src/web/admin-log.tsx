/**
 * The audit log as administrators read it: each entry an Italian sentence — who did what, to whom —
 * with the record itself behind a disclosure, filtered by case, office, actor and date. Reading it
 * is itself audited.
 */
import { and, desc, eq, gte, inArray, lt, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../env.js";
import { audit } from "../db/audit.js";
import { caseDbs, centralDb } from "../db/districts.js";
import { apiCredentials, auditLog, caseOffices, cases, offices, users, webhookSenders } from "../db/schema.js";
import { daysFromCivil } from "../engine/civil.js";
import { romeLocalInstant } from "../engine/rome.js";
import { romeDateTime as when } from "./format.js";
import { canonicalReference } from "../lib/reference.js";
import { Layout } from "./layout.js";
import { auditSentence } from "./audit-sentence.js";

export const adminLog = new Hono<AppEnv>();

/** Termini's own processes, as the log names them. */
const SYSTEM: Record<string, string> = {
  workflow: "Termini (lo scadenzario in corso)", cron: "Termini (il controllo ogni 5 minuti)", schedule: "Termini (il calendario degli adempimenti)",
  retention: "Termini (la cancellazione per decorso del termine di conservazione)", districts: "Termini (lo spostamento nei distretti)", termini: "Termini",
};

/** "YYYY-MM-DD" as the first instant of that Rome day; undefined for anything else. */
function dayStart(iso: string | undefined): number | undefined {
  const m = iso === undefined ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m === null ? undefined : romeLocalInstant(daysFromCivil(+m[1]!, +m[2]!, +m[3]!), 0);
}

adminLog.get("/admin/registro", async (c) => {
  const db = centralDb(c.env);
  // A reference searched for in its canonical spelling, as cases hold it (0977966/2026 finds 977966/2026).
  const q = { caso: c.req.query("caso")?.trim() ? canonicalReference(c.req.query("caso")!) : undefined, ufficio: c.req.query("ufficio")?.trim() || undefined, chi: c.req.query("chi")?.trim() || undefined, dal: c.req.query("dal"), al: c.req.query("al") };
  const from = dayStart(q.dal);
  const to = dayStart(q.al);
  // Each database's own entries (the central one's administration, each district's cases), newest first, merged.
  const perDb = await Promise.all(caseDbs(c.env).map((d) => {
    const where: SQL[] = [];
    if (q.caso !== undefined) where.push(inArray(auditLog.caseId, d.select({ id: cases.id }).from(cases).where(eq(cases.ref, q.caso))));
    if (q.ufficio !== undefined) where.push(inArray(auditLog.caseId, d.select({ id: caseOffices.caseId }).from(caseOffices).where(eq(caseOffices.officeId, q.ufficio))));
    if (from !== undefined) where.push(gte(auditLog.at, from));
    if (to !== undefined) where.push(lt(auditLog.at, to + 86_400_000 + 3_600_000));
    return d.select({ a: auditLog, ref: cases.ref }).from(auditLog).leftJoin(cases, eq(cases.id, auditLog.caseId))
      .where(where.length > 0 ? and(...where) : undefined).orderBy(desc(auditLog.id)).limit(500).all();
  }));
  // Ids count per database: across several, the time orders them.
  const rows = perDb.length === 1 ? perDb[0]! : perDb.flat().sort((a, b) => b.a.at - a.a.at || b.a.id - a.a.id).slice(0, 500);
  const [people, creds, senders, dir] = await Promise.all([
    db.select({ id: users.id, email: users.email, name: users.name }).from(users).all(),
    db.select({ id: apiCredentials.id, name: apiCredentials.name }).from(apiCredentials).all(),
    db.select({ id: webhookSenders.id, name: webhookSenders.name }).from(webhookSenders).all(),
    db.select({ id: offices.id, name: offices.name }).from(offices).all(),
  ]);
  // Who, as a person reads it: the user's name and address, the credential's or system's name.
  const person = (u: (typeof people)[number]) => (u.name === null ? u.email : `${u.name} (${u.email})`);
  const names = new Map<string, string>([
    ...people.map((u) => [`user:${u.id}`, person(u)] as const), ...creds.map((k) => [`credential:${k.id}`, `credenziale «${k.name}»`] as const),
    ...senders.map((s) => [`sender:${s.id}`, `sistema «${s.name}»`] as const),
  ]);
  const who = (actor: string) => names.get(actor) ?? (actor.startsWith("system:") ? SYSTEM[actor.slice(7)] ?? "Termini" : actor);
  const officeName = new Map(dir.map((o) => [o.id, o.name]));
  const userName = new Map(people.map((u) => [u.id, person(u)]));
  const sentenceNames = { actor: who, office: (id: string) => officeName.get(id) ?? id, user: (id: string) => userName.get(id) ?? id };
  const shown = rows.filter((r) => q.chi === undefined || who(r.a.actor).toLowerCase().includes(q.chi.toLowerCase())).slice(0, 200);
  await audit(db, { actor: c.get("user").principal.id, action: "audit.read", caseId: null, requestId: c.get("requestId"), detail: { filters: q, rows: shown.length } }, Date.now());
  return c.html(
    <Layout title="Registro degli accessi e delle modifiche" user={c.get("user")} crumbs={[["/admin", "Amministrazione"]]}>
      <p class="muted">Il registro non può essere modificato né cancellato. Al massimo 200 voci, le più recenti.</p>
      <form method="get" action="/admin/registro" class="row g-3 align-items-end mb-4">
        {([["caso", "Procedimento", "text"], ["ufficio", "Ufficio", "text"], ["chi", "Chi", "text"], ["dal", "Dal", "date"], ["al", "Al", "date"]] as const).map(([id, label, type]) => (
          <div class="col-12 col-md-4 col-lg-2">
            <div class="form-group mb-0"><label for={id}>{label}</label><input class="form-control" id={id} name={id} type={type} value={q[id] ?? ""} /></div>
          </div>
        ))}
        <div class="col-12 col-lg-2"><button type="submit" class="btn btn-primary">Filtra</button></div>
      </form>
      <table class="table table-stack">
        <thead><tr><th scope="col">Quando</th><th scope="col">Che cosa</th><th scope="col">Procedimento</th></tr></thead>
        <tbody>{shown.map(({ a, ref }) => (
          <tr>
            <td data-label="Quando">{when(a.at)}</td>
            <td data-label="Che cosa">{auditSentence(a, sentenceNames)}
              <details><summary class="small">Dati registrati</summary><pre class="small mb-0 wrap">{JSON.stringify({ azione: a.action, chi: a.actor, richiesta: a.requestId, dettagli: a.detail }, null, 2)}</pre></details>
            </td>
            <td data-label="Procedimento">{ref ?? "—"}</td>
          </tr>
        ))}</tbody>
      </table>
    </Layout>,
  );
});
