/**
 * The Italian text of reminders and escalations. By design it carries only
 * the pseudonymous case reference, the timeline, the deadline, the office
 * and a link: no names, no offence, no address (brief §4).
 */
import { html } from "hono/html";
import type { NoticeDetail } from "../db/schema.js";
import { formatRomeInstant } from "../engine/rome.js";
import { withArticle } from "../lib/italian.js";
import { type Consequence, consequenceHeading, consequenceLine, sourceOf } from "../timelines/consequence.js";

/** An instant as the messages write dates: "08:00 del 12/03/2026", Rome time. */
const atRome = (ms: number) => formatDue(formatRomeInstant(ms));

export interface MessageFacts {
  kind: "reminder" | "escalation" | "fallback" | "alert" | "notice";
  rung: string;
  caseRef: string;
  timelineTitle: string;
  stageTitle: string;
  basis: string;
  /** e.g. "23:59:59 del 12/12/2026" */
  due: string;
  /** The office that must act. */
  responsibleOffice: string;
  /** The office receiving this message. */
  recipientOffice: string;
  link: string;
  /** For a fallback: the office whose delivery failed. */
  failedOffice?: string;
  /** For a notice: what it announces. */
  notice?: NoticeDetail | null;
  /** The timeline's own wording for this rung, when it has one. */
  text?: string;
  /** For an obligation that files a report: where its draft is. */
  draft?: string;
  /** What the law attaches to the stage's expiry (reminders and escalations say it). */
  consequence?: Consequence;
  /** The administration that runs the deployment (ADMINISTRATION_NAME): every message's header names it. */
  administration?: string;
}

/** The plain header every message opens with: who sends it. */
const headerText = (administration: string | undefined) => (administration === undefined ? [] : [`${administration} — Termini`, ""]);
const headerHtml = (administration: string | undefined) =>
  administration === undefined ? "" : html`<p style="margin:0 0 1em;padding-bottom:.5em;border-bottom:2px solid #0066cc"><strong>${administration}</strong> — Termini</p>`;

/**
 * The legal effect an escalation reports, when the stage's expiry made the measure lapse; where the
 * text was not verified, as a possible effect, and the acts are not said to be barred.
 */
function lapseOf(f: MessageFacts): string | undefined {
  const c = f.consequence;
  if (f.kind !== "escalation" || c?.kind !== "lapse") return undefined;
  if (c.unverified) return `Possibile effetto di legge: ${c.effect}. ${sourceOf(c)}`;
  return `Effetto di legge: ${c.effect}. ${sourceOf(c)} Gli atti di questa fase non sono più possibili; se l'atto è stato compiuto entro il termine, ` +
    "va registrato con la sua data dopo aver annullato in Termini l'evento di inefficacia.";
}

export interface ComposedMessage {
  subject: string;
  text: string;
  html: string;
}

function lead(f: MessageFacts): string {
  if (f.text !== undefined && f.kind !== "fallback") return f.text;
  switch (f.kind) {
    case "reminder":
      return f.rung === "reminder-due-day"
        ? `Il termine scade oggi, alle ${f.due}.`
        : `Il termine scade alle ${f.due}.`;
    case "escalation":
      return `Il termine è scaduto alle ${f.due} senza che sia stato registrato l'atto che lo chiude. ` +
        (lapseOf(f) === undefined ? "" : `${lapseOf(f)} `) +
        `La segnalazione è inviata ${withArticle("a", f.recipientOffice)} quale ufficio sovraordinato.`;
    case "notice":
      if (f.notice?.notice === "event") return f.notice.text;
      return f.notice?.notice === "date-changed"
        ? `La scadenza è stata ricalcolata perché ${f.notice.reason ?? "è stata corretta la data di un evento"}: era alle ${formatDue(f.notice.previousDueAt)}, ora è alle ${f.due}.`
        : `La scadenza delle ${f.due} è stata ritirata: l'evento che l'aveva avviata è stato annullato perché registrato per errore.`;
    case "fallback":
      return `Non è stato possibile recapitare un avviso ${withArticle("a", f.failedOffice ?? f.responsibleOffice)}: ` +
        `lo inoltriamo all'indirizzo di riserva. Termine: ${f.due}.` + retrying(f.notice);
    case "alert":
      return `Recapito non riuscito: un avviso per ${f.failedOffice ?? f.responsibleOffice} non è stato consegnato ` +
        `(${failureText(f.notice)}). Verificare il servizio di posta e l'indirizzo dell'ufficio.` + retrying(f.notice);
  }
}

/** "ultimo errore 503 …, 7 tentativi dalle 08:00 del 12/03/2026" */
function failureText(d: NoticeDetail | null | undefined): string {
  if (d?.notice !== "delivery-failing") return "errore del servizio di posta";
  return `ultimo errore ${d.error}, ${d.attempts} ${d.attempts === 1 ? "tentativo" : "tentativi"} dalle ${atRome(d.since)}`;
}

function retrying(d: NoticeDetail | null | undefined): string {
  if (d?.notice !== "delivery-failing") return "";
  return d.retryUntil === null
    ? " L'avviso originale non sarà ritentato."
    : ` L'invio dell'avviso originale sarà ritentato fino alle ${atRome(d.retryUntil)}.`;
}

/** "2026-12-12T23:59:59+01:00" → "23:59 del 12/12/2026" (Rome local time, as stored). */
export function formatDue(dueAt: string): string {
  return `${dueAt.slice(11, 16)} del ${dueAt.slice(8, 10)}/${dueAt.slice(5, 7)}/${dueAt.slice(0, 4)}`;
}

const SUBJECT_PREFIX = {
  reminder: "Promemoria", escalation: "Termine scaduto", fallback: "Recapito non riuscito", alert: "Avviso agli amministratori", notice: "Comunicazione",
} as const;

export function composeMessage(f: MessageFacts): ComposedMessage {
  const prefix = f.kind === "escalation" && f.text !== undefined ? "Segnalazione" : SUBJECT_PREFIX[f.kind];
  const subject = `[Termini] ${prefix}: ${f.stageTitle} — proc. ${f.caseRef} — scadenza ${f.due}`;
  const facts: [string, string][] = [
    ["Procedimento", f.caseRef],
    ["Scadenzario", f.timelineTitle],
    ["Fase", `${f.stageTitle} (${f.basis})`],
    ["Scadenza", f.due],
    ["Ufficio competente", f.responsibleOffice],
    ...((f.kind === "reminder" || f.kind === "escalation") && f.consequence !== undefined
      ? [[consequenceHeading(f.consequence), consequenceLine(f.consequence)] as [string, string]] : []),
  ];
  const text = [
    ...headerText(f.administration),
    lead(f), "",
    ...facts.map(([k, v]) => `${k}: ${v}`), "",
    `Dettagli e azioni (accesso riservato): ${f.link}`,
    ...(f.draft === undefined ? [] : [`Bozza della relazione (accesso riservato): ${f.draft}`]), "",
    "Messaggio automatico di Termini. Per ragioni di riservatezza non contiene dati personali.",
  ].join("\n");
  const body = html`<!doctype html>
<html lang="it"><body style="font-family:sans-serif;color:#1a1a1a">
${headerHtml(f.administration)}
<p>${lead(f)}</p>
<table>${facts.map(([k, v]) => html`<tr><th align="left">${k}</th><td>${v}</td></tr>`)}</table>
<p><a href="${f.link}">Apri il procedimento in Termini</a> (accesso riservato)</p>
${f.draft === undefined ? "" : html`<p><a href="${f.draft}">Bozza della relazione</a> (accesso riservato)</p>`}
<p style="color:#555">Messaggio automatico di Termini. Per ragioni di riservatezza non contiene dati personali.</p>
</body></html>`;
  return { subject, text, html: body.toString() };
}

/**
 * The morning digest, "Scadenze di oggi": one email for an office with every
 * reminder and escalation due for it at once, the passed terms first. Built
 * from the members' facts only (nothing depends on the moment of sending),
 * so that every attempt sends the same message under the same key.
 */
export function composeDigest(office: string, items: readonly MessageFacts[], failing?: NoticeDetail): ComposedMessage {
  const ordered = [...items].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "escalation" ? -1 : 1));
  const passed = ordered.filter((f) => f.kind === "escalation").length;
  const coming = ordered.length - passed;
  const counts = [passed > 0 ? `${passed} ${passed === 1 ? "termine scaduto" : "termini scaduti"}` : "", coming > 0 ? `${coming} promemoria` : ""]
    .filter(Boolean).join(" e ");
  // Sent to the office's fallback address when the digest itself keeps failing.
  const subject = `[Termini] ${failing === undefined ? "" : "Recapito non riuscito — "}Scadenze di oggi — ${office}: ${counts}`;
  const line = (f: MessageFacts) => `${f.kind === "escalation" ? "Termine scaduto" : "Promemoria"}: ${f.stageTitle} — proc. ${f.caseRef} — scadenza ${f.due} — ${f.responsibleOffice}` +
    (f.kind === "escalation" && f.consequence?.kind === "lapse" ? ` — ${f.consequence.unverified ? "possibile effetto" : "effetto"}: ${f.consequence.effect}` : "");
  const intro = (failing === undefined ? "" : `Non è stato possibile recapitare ${withArticle("a", office)} il riepilogo che segue: lo inoltriamo all'indirizzo di riserva.${retrying(failing)} `) +
    `Riepilogo degli avvisi di oggi per ${office}: ${counts}. Ogni voce rimanda al procedimento in Termini (accesso riservato).`;
  const administration = items[0]?.administration;
  const text = [
    ...headerText(administration),
    intro, "",
    ...ordered.flatMap((f) => [`- ${line(f)}`, `  ${f.link}`]), "",
    "Messaggio automatico di Termini. Per ragioni di riservatezza non contiene dati personali.",
  ].join("\n");
  const body = html`<!doctype html>
<html lang="it"><body style="font-family:sans-serif;color:#1a1a1a">
${headerHtml(administration)}
<p>${intro}</p>
<ul>${ordered.map((f) => html`<li><a href="${f.link}">${line(f)}</a></li>`)}</ul>
<p style="color:#555">Messaggio automatico di Termini. Per ragioni di riservatezza non contiene dati personali.</p>
</body></html>`;
  return { subject, text, html: body.toString() };
}

export interface FailingEndpoint {
  office: string;
  /** The endpoint's origin (its path may hold a token: never written in an email). */
  origin: string;
  since: number;
  lastError: string;
  link: string;
}

/**
 * To the administrators and the subscribing office: its endpoint keeps failing (events wait, none is
 * dropped), or — `disabledAt` — Termini has stopped sending to it after failing too long.
 */
export function composeEndpointFailing(f: FailingEndpoint & { disabledAt?: number; disableAfter?: string; retryWindow?: string }): ComposedMessage {
  const off = f.disabledAt !== undefined;
  const whose = withArticle("di", f.office);
  const subject = off ? `[Termini] Webhook disattivato — ${f.office}` : `[Termini] Webhook in errore — ${f.office}`;
  const lines = off
    ? [
      `L'endpoint webhook ${whose} (${f.origin}) non accetta gli eventi dalle ${atRome(f.since)}: alle ${atRome(f.disabledAt!)} Termini ha disattivato l'abbonamento, come avviene dopo ${f.disableAfter} di errori continui.`,
      `Ultimo errore: ${f.lastError}.`,
      "Da ora gli eventi non vengono inviati, nemmeno dopo la riattivazione, ma restano nel registro dell'abbonamento: una volta riparato l'endpoint, lo si riattiva dalla pagina dell'abbonamento e si recuperano gli eventi leggendo il registro o reinviandoli dalla pagina.",
    ]
    : [
      `L'endpoint webhook ${whose} (${f.origin}) non accetta gli eventi dalle ${atRome(f.since)}.`,
      `Ultimo errore: ${f.lastError}.`,
      `Termini continua a riprovare ogni evento${f.retryWindow === undefined ? "" : ` per ${f.retryWindow}`}; quelli non consegnati restano tra gli eventi non consegnati, da cui si possono reinviare.${f.disableAfter === undefined ? "" : ` Se gli errori continuano per ${f.disableAfter}, l'abbonamento viene disattivato.`}`,
    ];
  const text = [...lines, "", `Stato delle consegne (accesso riservato): ${f.link}`, "", "Messaggio automatico di Termini."].join("\n");
  const body = html`<!doctype html>
<html lang="it"><body style="font-family:sans-serif;color:#1a1a1a">
${lines.map((l) => html`<p>${l}</p>`)}
<p><a href="${f.link}">Stato delle consegne</a> (accesso riservato)</p>
<p style="color:#555">Messaggio automatico di Termini.</p>
</body></html>`;
  return { subject, text, html: body.toString() };
}
