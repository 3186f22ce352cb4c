/**
 * The outbox as administrators read it, in Italian: each message by case reference, kind and rung,
 * addressed to an office by name, with when it was scheduled, when the provider accepted it (sent)
 * and how many attempts it took — three different instants, never one for the other — and the
 * message itself exactly as it went out. Reading is audited.
 */
import { desc, eq } from "drizzle-orm";
import type { AppEnv } from "../env.js";
import { audit } from "../db/audit.js";
import { caseDbs } from "../db/districts.js";
import { directory } from "../db/directory.js";
import { mergeAudited } from "../domain/districts/district-reads.js";
import { cases, mailOutbox, notifications, timelineInstances } from "../db/schema.js";
import { deliveryCounts, deliverySummary } from "../db/delivery.js";
import { listScheduleFailures } from "../db/schedule-failures.js";
import { workflowFailuresWithRef } from "../db/workflow-failures.js";
import { isLocal } from "../deployment.js";
import { ApiError } from "../http/problem.js";
import { getTimeline } from "../timelines/catalog.js";
import { count } from "../lib/italian.js";
import { romeDateTime as when } from "./format.js";
import { Layout } from "./layout.js";
import { createRouter } from "../http/router.js";

export const adminMail = createRouter();

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

type Row = { n: typeof notifications.$inferSelect; ref: string | null };

function state(n: Row["n"]): string {
  if (n.status === "scheduled" && n.attempts > 0) return `in nuovo tentativo alle ${when(n.retryAtMs)}`;
  return DELIVERY_STATUS[n.status] ?? n.status;
}

adminMail.get("/admin/posta", async (c) => {
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
  const dir = await directory(caseDbs(c.env)[0]!);
  const office = (id: string) => dir.get(id)?.name ?? id;
  const mail = parts.flatMap((p) => p.mail).sort((a, b) => b.createdAt - a.createdAt).slice(0, 50);
  const summary = deliverySummary(parts.map((p) => p.counts));
  const unopened = parts.flatMap((p) => p.unopened);
  const stalled = parts.flatMap((p) => p.stalled).slice(0, 50);
  const rows: Row[] = await mergeAudited(parts.map((p) => ({ db: p.db, found: p.rows })), (a, b) => b.n.sendAtMs - a.n.sendAtMs, 200, (mine) => ({
    actor: c.get("user").principal.id, action: "outbox.read", requestId: c.get("requestId"), detail: { messages: mine.length }, reason: "controllo della posta in uscita (amministrazione del servizio)",
  }), Date.now());
  // Locally the sign-in links are shown too (there is no real mail); anywhere else, never.
  const local = isLocal(c.env);
  return c.html(
    <Layout title="Posta in uscita" user={c.get("user")} crumbs={[["/admin", "Amministrazione"]]}>
      <ul class="counts" aria-label="Stato del recapito">
        <li>In nuovo tentativo: <strong>{summary.retrying}</strong>{summary.failingSince !== null && <span class="muted"> (dal {when(summary.failingSince)})</span>}</li>
        <li>Non recapitati: <strong>{summary.failed}</strong></li>
        <li>Adempimenti non aperti: <strong>{summary.obligationsNotOpened}</strong></li>
        <li>Scadenzari senza processo attivo: <strong>{summary.workflowsNotRunning}</strong></li>
      </ul>
      <p class="muted">«Programmato»: quando il messaggio doveva partire. «Inviato»: quando il servizio di posta lo ha accettato.</p>
      <table class="table table-stack">
        <thead><tr><th scope="col">Programmato</th><th scope="col">Inviato</th><th scope="col">Tentativi</th><th scope="col">Procedimento</th><th scope="col">Messaggio</th><th scope="col">Destinatario</th><th scope="col">Stato</th><th scope="col">Errore</th></tr></thead>
        <tbody>{rows.filter(({ n }) => n.kind !== "roll" && n.kind !== "lapse").map(({ n, ref }) => (
          <tr>
            <td data-label="Programmato" class="text-nowrap">{when(n.sendAtMs)}</td>
            <td data-label="Inviato" class="text-nowrap">{n.sentAtMs === null ? "—" : when(n.sentAtMs)}</td>
            <td data-label="Tentativi">{n.digestId === null ? n.attempts : "nel riepilogo"}</td>
            <td data-label="Procedimento" class="text-nowrap">{n.kind === "digest" ? "più procedimenti" : ref ?? "—"}</td>
            <td data-label="Messaggio">{KIND[n.kind] ?? n.kind}, {rungName(n.rung)}
              {n.sentCopy !== null && <> — <a href={`/admin/posta/${encodeURIComponent(n.id)}`}>apri il messaggio</a></>}
              {n.digestId !== null && n.status === "sent" && <> — <a href={`/admin/posta/${encodeURIComponent(n.digestId)}`}>apri il riepilogo in cui è partito</a></>}</td>
            <td data-label="Destinatario">{office(n.officeId)}<br /><span class="muted small">{n.recipients.join(", ")}</span></td>
            <td data-label="Stato"><span class={`badge ${STATUS_TONE[n.status] ?? "bg-secondary"}`}>{state(n)}</span></td>
            <td data-label="Errore">{n.lastError ?? ""}</td>
          </tr>
        ))}</tbody>
      </table>
      {unopened.length > 0 && (
        <section aria-labelledby="non-aperti">
          <h2 id="non-aperti">Adempimenti che il calendario non è riuscito ad aprire</h2>
          <p class="muted">Sono ritentati a ogni esecuzione del calendario (ogni 5 minuti).</p>
          <ul>{unopened.map((f) => <li><code>{f.ref}</code>: {f.code}, {count(f.attempts, "tentativo", "tentativi")} dal {when(f.firstAt)}</li>)}</ul>
        </section>
      )}
      {stalled.length > 0 && (
        <section aria-labelledby="senza-processo">
          <h2 id="senza-processo">Scadenzari il cui processo non è partito</h2>
          <p class="muted">I dati sono salvati e i messaggi scaduti partono comunque; il processo è riavviato a ogni esecuzione del calendario (ogni 5 minuti).</p>
          <ul>{stalled.map((f) => (
            <li><code>{f.ref ?? "—"}</code> ({f.timeline === null ? "—" : getTimeline(f.timeline)?.title ?? f.timeline}): {f.action === "start" ? "avvio" : "risveglio"} non riuscito ({f.error}), {count(f.attempts, "tentativo", "tentativi")} dal {when(f.firstAt)}</li>
          ))}</ul>
        </section>
      )}
      <h2>Link di accesso e inviti</h2>
      <ul>{mail.map((m) => {
        const link = local ? /https?:\/\/\S+\/accedi\/link\?\S+/.exec(m.text)?.[0] : undefined;
        return <li>{when(m.createdAt)} — {m.recipients.join(", ")} — {m.subject}{link && <span> — <a href={link}>apri il link</a></span>}</li>;
      })}</ul>
    </Layout>,
  );
});

/** The message's row, from whichever district holds it, with the database that does (for the audit). */
async function sentMessage(c: { env: AppEnv["Bindings"] }, id: string) {
  for (const db of caseDbs(c.env)) {
    const found = await db.select({ n: notifications, ref: cases.ref }).from(notifications)
      .leftJoin(timelineInstances, eq(timelineInstances.id, notifications.instanceId)).leftJoin(cases, eq(cases.id, timelineInstances.caseId))
      .where(eq(notifications.id, id)).get();
    if (found?.n.sentCopy != null) return { db, ...found, copy: found.n.sentCopy };
  }
  throw new ApiError("not_found", "Messaggio non trovato, o non ancora inviato");
}

adminMail.get("/admin/posta/:id", async (c) => {
  const { db, n, ref, copy } = await sentMessage(c, c.req.param("id"));
  await audit(db, { actor: c.get("user").principal.id, action: "outbox.read", caseId: null, requestId: c.get("requestId"), detail: { messages: 1, notificationId: n.id }, reason: "controllo della posta in uscita (amministrazione del servizio)" }, Date.now());
  return c.html(
    <Layout title={copy.subject} user={c.get("user")} crumbs={[["/admin", "Amministrazione"], ["/admin/posta", "Posta in uscita"]]}>
      <dl class="row">
        <dt class="col-sm-3">Procedimento</dt><dd class="col-sm-9">{n.kind === "digest" ? "più procedimenti (riepilogo del mattino)" : ref ?? "—"}</dd>
        <dt class="col-sm-3">Destinatari</dt><dd class="col-sm-9">{n.recipients.join(", ")}</dd>
        <dt class="col-sm-3">Programmato</dt><dd class="col-sm-9">{when(n.sendAtMs)}</dd>
        <dt class="col-sm-3">Inviato</dt><dd class="col-sm-9">{when(n.sentAtMs)} ({count(n.attempts, "tentativo", "tentativi")})</dd>
      </dl>
      <p><a href={`/admin/posta/${encodeURIComponent(n.id)}/html`}>Apri la versione HTML</a>, come l'ha ricevuta l'ufficio.</p>
      <h2 class="h5">Testo</h2>
      <pre class="wrap">{copy.text}</pre>
    </Layout>,
  );
});

/** The HTML version alone, under a policy of its own: no script, nothing fetched, no form. */
adminMail.get("/admin/posta/:id/html", async (c) => {
  const { db, n, copy } = await sentMessage(c, c.req.param("id"));
  await audit(db, { actor: c.get("user").principal.id, action: "outbox.read", caseId: null, requestId: c.get("requestId"), detail: { messages: 1, notificationId: n.id, format: "html" }, reason: "controllo della posta in uscita (amministrazione del servizio)" }, Date.now());
  const res = c.html(copy.html);
  res.headers.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox");
  return res;
});
