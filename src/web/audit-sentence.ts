/**
 * An audit entry as an administrator reads it: one Italian sentence — who did what, to whom, with
 * the names the directory knows ("Operatore della Procura (prova) ha registrato «Misure richieste»
 * (atto del 03/11/2026 10:00)") — instead of a JSON record with English keys. The record stays
 * behind a disclosure. Pure: the names come in.
 */
import { eventLabel } from "../timelines/catalog.js";
import { romeDateTime } from "./format.js";
import { count, withArticle } from "../lib/italian.js";

/** Each action's name, for the filter and for an action this module has no sentence for. */
const ACTIONS: Record<string, string> = {
  "event.recorded": "evento registrato", "event.corrected": "evento corretto", "event.cancelled": "evento annullato",
  "case.read": "procedimento consultato", "case.created": "procedimento creato", "cases.listed": "elenco dei procedimenti",
  "deadlines.listed": "scadenze consultate", "calendar.read": "calendario scaricato", "calendar.created": "indirizzo del calendario creato",
  "calendar.revoked": "indirizzo del calendario revocato", "notification.sent": "messaggio inviato", "notification.failed": "messaggio non recapitato",
  "notification.delivery-failed": "tentativo di invio non riuscito", "outbox.read": "posta in uscita consultata", "report.generated": "relazione generata",
  "report.read": "relazione scaricata", "report.submitted": "relazione trasmessa", "report.withdrawn": "trasmissione della relazione ritirata", "sender.created": "mittente creato", "sender.rotated": "segreto del mittente rinnovato",
  "signin.completed": "accesso eseguito", "signin.link-sent": "link di accesso inviato", "signin.not-resent": "link di accesso non reinviato (limite)",
  "timeline.migrated": "scadenzario migrato", "user.invited": "utente invitato", "user.reinvited": "invito inviato di nuovo", "user.accepted": "invito accettato",
  "user.role-changed": "ruolo cambiato", "user.disabled": "utente disattivato", "user.enabled": "utente riattivato", "office.created": "ufficio creato",
  "office.updated": "ufficio modificato", "audit.read": "registro consultato", "stage.lapsed": "provvedimento divenuto inefficace",
  "deadline.restarted": "termine ricominciato", "case.purged": "procedimento cancellato per decorso del termine di conservazione",
  "subscription.created": "sottoscrizione creata", "subscription.updated": "sottoscrizione modificata", "subscription.tested": "sottoscrizione provata",
  "subscription.secret-rotated": "segreto della sottoscrizione rinnovato", "subscription.replayed": "eventi della sottoscrizione inviati di nuovo",
  "credential.issued": "credenziale API rilasciata", "credential.revoked": "credenziale API revocata",
  "subscription.paused": "sottoscrizione sospesa", "subscription.resumed": "sottoscrizione riattivata", "subscription.sampled": "esempio di evento inviato alla sottoscrizione",
  "subscription.disabled": "sottoscrizione disattivata per errori continui", "subscription.events-read": "registro degli eventi della sottoscrizione consultato",
  "accessibility.feedback": "segnalazione sull'accessibilità ricevuta", "case.duplicate-withdrawn": "procedimento doppio ritirato",
  "signin.refused": "accesso rifiutato", signout: "uscita", "outbound.delivered": "evento comunicato a un sistema esterno",
  "integrity.read": "controllo di integrità consultato", "user.fiscal-number-set": "codice fiscale registrato", "audit.exported": "registro esportato", "audit.purged": "voci del registro cancellate per decorso del termine",
};

const ROLE: Record<string, string> = {
  operator: "operatore d'ufficio", head: "capo dell'ufficio", admin: "amministratore", region: "funzionario regionale", ministry: "funzionario del ministero", dpo: "responsabile della protezione dei dati",
};
const REPORT: Record<string, string> = { national: "nazionale", regional: "regionale", compliance: "di verifica" };
const REFUSAL: Record<string, string> = {
  state: "richiesta scaduta, già usata o di un altro browser", provider_error: "interrotto dal fornitore", token: "risposta non valida", signature: "firma non valida",
  nonce: "risposta non corrispondente", expired: "risposta scaduta", acr: "livello di autenticazione insufficiente", claim_missing: "identità senza il dato richiesto",
  unreachable: "fornitore non raggiungibile", unknown_user: "nessun utente corrispondente", not_allowed: "ruolo o uffici non ammessi per il fornitore", unknown_provider: "fornitore non configurato",
};
const MESSAGE: Record<string, string> = { reminder: "il promemoria", escalation: "la segnalazione", notice: "la comunicazione", digest: "il riepilogo del mattino" };

/** The names a sentence needs: who an actor is, an office's, a user's. */
export interface Names {
  actor: (id: string) => string;
  office: (id: string) => string;
  user: (id: string) => string;
}

type Detail = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));
const kindOfRung = (rung: string) => rung.split("-")[0] ?? rung;

/** What the actor did, as a predicate ("ha consultato il procedimento"). */
function predicate(action: string, d: Detail, n: Names): string {
  switch (action) {
    case "event.recorded": return `ha registrato «${eventLabel(str(d.type))}» (atto del ${romeDateTime(str(d.occurredAt))})`;
    case "event.corrected": return "ha corretto la data di un evento";
    case "event.cancelled": return "ha annullato un evento registrato per errore";
    case "case.read": return `ha consultato il procedimento${d.via === "web" ? "" : " tramite l'API"}`;
    case "cases.listed": return `ha consultato l'elenco dei procedimenti (${Array.isArray(d.cases) ? d.cases.length : 0})`;
    case "deadlines.listed": return d.office === undefined ? "ha consultato le scadenze dei suoi uffici" : `ha consultato le scadenze ${withArticle("di", n.office(str(d.office)))}`;
    case "calendar.read": return "ha scaricato il calendario delle scadenze";
    case "calendar.created": return "ha creato un nuovo indirizzo del calendario";
    case "calendar.revoked": return "ha revocato l'indirizzo del calendario";
    case "sender.created": return `ha creato il sistema mittente «${str(d.sender)}»`;
    case "sender.rotated": return `ha rinnovato il segreto del sistema mittente «${str(d.sender)}»`;
    case "credential.issued": return `ha rilasciato la credenziale API ${str(d.credential)} (finalità: ${str(d.purpose)})`;
    case "credential.revoked": return `ha revocato la credenziale API ${str(d.credential)}`;
    case "subscription.paused": return `ha sospeso l'abbonamento ${str(d.subscription)} agli eventi in uscita`;
    case "subscription.resumed": return `ha riattivato l'abbonamento ${str(d.subscription)} agli eventi in uscita`;
    case "subscription.disabled": return `ha disattivato l'abbonamento ${str(d.subscription)}: l'endpoint rifiutava gli eventi dal ${romeDateTime(Number(d.failingSince))}`;
    case "subscription.sampled": return `ha inviato un esempio di «${str(d.kind)}» all'abbonamento ${str(d.subscription)}`;
    case "subscription.replayed": return `ha reinviato la consegna ${str(d.delivery)} dell'abbonamento ${str(d.subscription)}`;
    case "subscription.events-read": return `ha letto il registro degli eventi dell'abbonamento ${str(d.subscription)} (${count(Number(d.events ?? 0), "evento", "eventi")})`;
    case "deadline.restarted": return "ha registrato un evento da cui il termine ricomincia";
    case "timeline.migrated": return `ha portato lo scadenzario dalla versione ${str(d.from)} alla ${str(d.to)}`;
    case "case.purged": return "ha cancellato il procedimento per decorso del termine di conservazione";
    case "notification.sent": return `ha inviato ${MESSAGE[kindOfRung(str(d.rung))] ?? "il messaggio"} ${withArticle("a", n.office(str(d.office)))}${Array.isArray(d.recipients) ? ` (${d.recipients.map(str).join(", ")})` : ""}`;
    case "outbound.delivered": return `ha comunicato l'evento ${str(d.event)} al sistema ${withArticle("di", n.office(str(d.office)))} (${str(d.endpoint)})`;
    case "signin.refused": return `ha tentato l'accesso con il fornitore di identità «${str(d.provider)}»: rifiutato (${REFUSAL[str(d.reason)] ?? str(d.reason)})`;
    case "signout": return d.providerName === undefined ? "ha chiuso la sessione di Termini" : `ha chiuso la sessione di Termini e quella presso il fornitore di identità «${str(d.providerName)}»`;
    case "integrity.read": return "ha consultato il controllo di integrità dei dati";
    case "audit.exported": return `ha esportato questo registro (${count(Number(d.entries ?? 0), "voce", "voci")}, ${str(d.format).toUpperCase()}, impronta ${str(d.checksum)})`;
    case "audit.purged": return `ha cancellato ${count(Number(d.entries ?? 0), "voce", "voci")} del registro anteriori al ${romeDateTime(Number(d.before))}, decorso il termine di conservazione`;
    case "notification.failed": return `non è riuscito a recapitare ${MESSAGE[kindOfRung(str(d.rung))] ?? "il messaggio"} ${withArticle("a", n.office(str(d.office)))} (${str(d.error)})`;
    case "report.read": return `ha scaricato la relazione ${REPORT[str(d.kind)] ?? str(d.kind)} ${str(d.period)} (versione ${str(d.version)}${d.format ? `, ${str(d.format).toUpperCase()}` : ""})`;
    case "report.generated": return `ha generato la relazione ${REPORT[str(d.kind)] ?? str(d.kind)} ${str(d.period)} (versione ${str(d.version)})`;
    case "report.submitted": return `ha trasmesso la relazione ${REPORT[str(d.kind)] ?? str(d.kind)} ${str(d.period)} (versione ${str(d.version)})`;
    case "report.withdrawn": return `ha ritirato la trasmissione della relazione ${REPORT[str(d.kind)] ?? str(d.kind)} ${str(d.period)} (versione ${str(d.version)})`;
    case "user.invited": return `ha invitato ${n.user(str(d.user))} come ${ROLE[str(d.role)] ?? str(d.role)}`;
    case "user.reinvited": return `ha inviato di nuovo l'invito a ${n.user(str(d.user))}`;
    case "user.accepted": return "ha accettato l'invito";
    case "user.role-changed": return `ha cambiato il ruolo di ${n.user(str(d.user))} da ${ROLE[str(d.from)] ?? str(d.from)} a ${ROLE[str(d.to)] ?? str(d.to)}`;
    case "user.disabled": return `ha disattivato ${n.user(str(d.user))}`;
    case "user.fiscal-number-set": return `ha registrato il codice fiscale di ${n.user(str(d.user))} per l'accesso con SPID o CIE`;
    case "user.enabled": return `ha riattivato ${n.user(str(d.user))}`;
    case "office.created": return `ha creato l'ufficio «${n.office(str(d.office))}»`;
    case "office.updated": return `ha modificato l'ufficio «${n.office(str(d.office))}»`;
    case "signin.completed": return d.provider === undefined ? "ha eseguito l'accesso con il link ricevuto per email" : `ha eseguito l'accesso con il fornitore di identità «${str(d.providerName ?? d.provider)}»`;
    case "signin.link-sent": return "ha ricevuto un link di accesso";
    case "signin.not-resent": return "ha chiesto troppi link di accesso: non ne è stato inviato un altro";
    case "audit.read": return `ha consultato questo registro (${count(Number(d.rows ?? 0), "voce", "voci")})`;
    case "outbox.read": return d.notificationId === undefined ? `ha consultato la posta in uscita (${count(Number(d.messages ?? 0), "messaggio", "messaggi")})` : "ha aperto un messaggio inviato";
    case "stage.lapsed": return "ha registrato che il termine è scaduto senza l'atto: il provvedimento ha perso efficacia";
    default: return `ha registrato: ${ACTIONS[action] ?? action}`;
  }
}

/** "Operatore della Procura (prova) ha consultato il procedimento." */
export function auditSentence(entry: { actor: string; action: string; detail: unknown }, names: Names): string {
  if (entry.action === "accessibility.feedback") {
    const n = Number((entry.detail as Detail | null)?.administrators ?? 0);
    return `È arrivata una segnalazione sull'accessibilità dal modulo pubblico, inoltrata ${n === 1 ? "a un amministratore" : `a ${n} amministratori`}.`;
  }
  const who = names.actor(entry.actor);
  const what = predicate(entry.action, (entry.detail ?? {}) as Detail, names);
  return `${who.charAt(0).toUpperCase()}${who.slice(1)} ${what}.`;
}
