/**
 * The outbox and the audit log as administrators read them, in Italian:
 * messages by case reference with their kind and rung named, the audit log
 * with people, systems and actions readable, filtered by case, office,
 * actor and date. Reading either is itself audited.
 */
import { count } from "../lib/italian.js";
import { and, desc, eq, gte, inArray, lt, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../env.js";
import { audit } from "../db/audit.js";
import { caseDbs, centralDb } from "../db/districts.js";
import { mergeAudited } from "../domain/district-reads.js";
import { apiCredentials, auditLog, caseOffices, cases, mailOutbox, notifications, timelineInstances, users, webhookSenders } from "../db/schema.js";
import { deliveryCounts, deliverySummary } from "../db/delivery.js";
import { listScheduleFailures } from "../db/schedule-failures.js";
import { workflowFailuresWithRef } from "../db/workflow-failures.js";
import { isLocal } from "../deployment.js";
import { daysFromCivil } from "../engine/civil.js";
import { romeLocalInstant } from "../engine/rome.js";
import { romeDateTime as when } from "./format.js";
import { canonicalReference } from "../lib/reference.js";
import { Layout } from "./layout.js";

export const adminLog = new Hono<AppEnv>();

/** Bootstrap Italia badge colours for a message's state. */
const STATUS_TONE: Record<string, string> = { sent: "bg-success", failed: "bg-danger", sending: "bg-primary", scheduled: "bg-primary" };
const DELIVERY_STATUS: Record<string, string> = {
  scheduled: "programmato", sending: "in invio", sent: "inviato", failed: "non recapitato", cancelled: "annullato", superseded: "superato",
  digested: "nel riepilogo del mattino",
};
const KIND: Record<string, string> = { reminder: "promemoria", escalation: "segnalazione", notice: "comunicazione", fallback: "inoltro di riserva", alert: "avviso agli amministratori", digest: "riepilogo del mattino" };

/** "reminder-7d" → "7 giorni prima", "escalation-2" → "livello 2", "reminder-6h" → "6 ore prima". */
export function rungName(rung: string): string {
  const m = /^(?:reminder|escalation)-(\d+)([dh])?$/.exec(rung);
  if (m !== null && m[2] === "d") return `${count(Number(m[1]), "giorno", "giorni")} prima`;
  if (m !== null && m[2] === "h") return `${count(Number(m[1]), "ora", "ore")} prima`;
  if (m !== null) return `livello ${m[1]}`;
  if (rung === "reminder-due-day") return "il giorno della scadenza";
  if (rung.startsWith("date-changed")) return "data cambiata";
  if (rung.startsWith("withdrawn")) return "fase ritirata";
  if (rung.endsWith("/digest")) return "più avvisi in un messaggio";
  return rung;
}

const ACTIONS: Record<string, string> = {
  "event.recorded": "evento registrato", "event.corrected": "evento corretto", "event.cancelled": "evento annullato",
  "case.read": "procedimento consultato", "case.created": "procedimento creato", "cases.listed": "elenco dei procedimenti",
  "deadlines.listed": "scadenze consultate", "calendar.read": "calendario scaricato", "calendar.created": "indirizzo del calendario creato",
  "calendar.revoked": "indirizzo del calendario revocato", "notification.sent": "messaggio inviato", "notification.failed": "messaggio non recapitato",
  "notification.delivery-failed": "tentativo di invio non riuscito", "outbox.read": "posta in uscita consultata", "report.generated": "relazione generata",
  "report.read": "relazione scaricata", "report.submitted": "relazione trasmessa", "sender.created": "mittente creato", "sender.rotated": "segreto del mittente rinnovato",
  "signin.completed": "accesso eseguito", "signin.link-sent": "link di accesso inviato", "signin.not-resent": "link di accesso non reinviato (limite)",
  "timeline.migrated": "scadenzario migrato", "user.invited": "utente invitato", "user.role-changed": "ruolo cambiato", "user.disabled": "utente disattivato",
  "user.enabled": "utente riattivato", "office.created": "ufficio creato", "office.updated": "ufficio modificato", "audit.read": "registro consultato",
};

adminLog.get("/admin/posta", async (c) => {
  // Every district's newest, merged; each district audits its own messages read.
  const parts = await Promise.all(caseDbs(c.env).map(async (db) => {
    const [rows, mail, counts, unopened, stalled] = await Promise.all([
      db.select({ n: notifications, ref: cases.ref }).from(notifications)
        .leftJoin(timelineInstances, eq(timelineInstances.id, notifications.instanceId)).leftJoin(cases, eq(cases.id, timelineInstances.caseId))
        .orderBy(desc(notifications.sendAtMs)).limit(200).all(),
      db.select().from(mailOutbox).orderBy(desc(mailOutbox.createdAt)).limit(50).all(),
      deliveryCounts(db), listScheduleFailures(db), workflowFailuresWithRef(db, 50),
    ]);
    return { db, rows, mail, counts, unopened, stalled };
  }));
  const mail = parts.flatMap((p) => p.mail).sort((a, b) => b.createdAt - a.createdAt).slice(0, 50);
  const summary = deliverySummary(parts.map((p) => p.counts));
  const unopened = parts.flatMap((p) => p.unopened);
  const stalled = parts.flatMap((p) => p.stalled).slice(0, 50);
  const rows = await mergeAudited(parts.map((p) => ({ db: p.db, found: p.rows })), (a, b) => b.n.sendAtMs - a.n.sendAtMs, 200, (mine) => ({
    actor: c.get("user").principal.id, action: "outbox.read", requestId: c.get("requestId"), detail: { messages: mine.length },
  }), Date.now());
  // Locally the sign-in links are shown too (there is no real mail); anywhere else, never.
  const local = isLocal(c.env);
  return c.html(
    <Layout title="Posta in uscita" user={c.get("user")}>
      <ul class="counts" aria-label="Stato del recapito">
        <li>In nuovo tentativo: <strong>{summary.retrying}</strong>{summary.failingSince !== null && <span class="muted"> (dal {when(summary.failingSince)})</span>}</li>
        <li>Non recapitati: <strong>{summary.failed}</strong></li>
        <li>Adempimenti non aperti: <strong>{summary.obligationsNotOpened}</strong></li>
        <li>Scadenzari senza processo attivo: <strong>{summary.workflowsNotRunning}</strong></li>
      </ul>
      <table class="table table-stack">
        <thead><tr><th scope="col">Invio previsto</th><th scope="col">Procedimento</th><th scope="col">Messaggio</th><th scope="col">Destinatari</th><th scope="col">Stato</th><th scope="col">Tentativi</th><th scope="col">Errore</th></tr></thead>
        <tbody>{rows.filter(({ n }) => n.kind !== "roll" && n.kind !== "lapse").map(({ n, ref }) => (
          <tr>
            <td>{when(n.sendAtMs)}</td><td>{ref ?? "—"}</td><td>{KIND[n.kind] ?? n.kind}, {rungName(n.rung)}</td><td>{n.recipients.join(", ")}</td>
            <td><span class={`badge ${STATUS_TONE[n.status] ?? "bg-secondary"}`}>{n.status === "scheduled" && n.attempts > 0 ? `in nuovo tentativo alle ${when(n.retryAtMs)}` : DELIVERY_STATUS[n.status] ?? n.status}</span></td>
            <td>{n.attempts}</td><td>{n.lastError ?? ""}</td>
          </tr>
        ))}</tbody>
      </table>
      {unopened.length > 0 && (
        <section aria-labelledby="non-aperti">
          <h2 id="non-aperti">Adempimenti che il calendario non è riuscito ad aprire</h2>
          <p class="muted">Sono ritentati a ogni esecuzione del calendario (ogni 5 minuti).</p>
          <ul>{unopened.map((f) => <li><code>{f.ref}</code>: {f.code}, {f.attempts} tentativi dal {when(f.firstAt)}</li>)}</ul>
        </section>
      )}
      {stalled.length > 0 && (
        <section aria-labelledby="senza-processo">
          <h2 id="senza-processo">Scadenzari il cui processo non è partito</h2>
          <p class="muted">I dati sono salvati e i messaggi scaduti partono comunque; il processo è riavviato a ogni esecuzione del calendario (ogni 5 minuti).</p>
          <ul>{stalled.map((f) => (
            <li><code>{f.ref ?? "—"}</code> ({f.timeline ?? "—"}): {f.action === "start" ? "avvio" : "risveglio"} non riuscito ({f.error}), {f.attempts} tentativi dal {when(f.firstAt)}</li>
          ))}</ul>
        </section>
      )}
      <h2>Link di accesso</h2>
      <ul>{mail.map((m) => {
        const link = local ? /https?:\/\/\S+\/accedi\/link\?\S+/.exec(m.text)?.[0] : undefined;
        return <li>{when(m.createdAt)} — {m.recipients.join(", ")} — {m.subject}{link && <span> — <a href={link}>apri il link</a></span>}</li>;
      })}</ul>
    </Layout>,
  );
});

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
  const [people, creds, senders] = await Promise.all([
    db.select({ id: users.id, email: users.email }).from(users).all(),
    db.select({ id: apiCredentials.id, name: apiCredentials.name }).from(apiCredentials).all(),
    db.select({ id: webhookSenders.id, name: webhookSenders.name }).from(webhookSenders).all(),
  ]);
  // Who, as a person reads it: the user's address, the credential's or system's name.
  const names = new Map<string, string>([
    ...people.map((u) => [`user:${u.id}`, u.email] as const), ...creds.map((k) => [`credential:${k.id}`, `credenziale «${k.name}»`] as const),
    ...senders.map((s) => [`sender:${s.id}`, `sistema «${s.name}»`] as const),
  ]);
  const who = (actor: string) => names.get(actor) ?? (actor.startsWith("system:") ? `Termini (${actor.slice(7)})` : actor);
  const shown = rows.filter((r) => q.chi === undefined || who(r.a.actor).toLowerCase().includes(q.chi.toLowerCase())).slice(0, 200);
  await audit(db, { actor: c.get("user").principal.id, action: "audit.read", caseId: null, requestId: c.get("requestId"), detail: { filters: q, rows: shown.length } }, Date.now());
  return c.html(
    <Layout title="Registro degli accessi e delle modifiche" user={c.get("user")}>
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
        <thead><tr><th scope="col">Quando</th><th scope="col">Chi</th><th scope="col">Azione</th><th scope="col">Procedimento</th><th scope="col">Dettagli</th></tr></thead>
        <tbody>{shown.map(({ a, ref }) => (
          <tr><td>{when(a.at)}</td><td>{who(a.actor)}</td><td>{ACTIONS[a.action] ?? a.action}</td><td>{ref ?? "—"}</td><td><code>{JSON.stringify(a.detail).slice(0, 200)}</code></td></tr>
        ))}</tbody>
      </table>
    </Layout>,
  );
});
