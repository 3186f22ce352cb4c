/**
 * How users read the events that start a timeline: by what happened
 * ("Allontanamento eseguito"), not by the stage it opens. Italian.
 */
export const STARTING_EVENT_LABELS: Readonly<Record<string, string>> = {
  "suspect.registered": "Indagato iscritto nel registro delle notizie di reato",
  "offence.registered": "Notizia di reato iscritta",
  "removal.executed": "Allontanamento eseguito",
  "removal.police-executed": "Allontanamento d'urgenza eseguito dalla polizia giudiziaria",
  "offence.committed": "Fatto commesso, documentato da video o fotografie",
  "decision.final": "Decisione definitiva",
  "sentence.irrevocable": "Sentenza con sospensione condizionale subordinata al percorso divenuta irrevocabile",
  "ammonimento.issued": "Ammonimento emesso",
  "vigilance.ordered": "Misure di vigilanza disposte",
  "programme.started-suspended-sentence": "Presa in carico da parte del CUAV",
  "programme.started-ammonimento": "Presa in carico da parte del CUAV",
  "programme.started-precautionary": "Presa in carico da parte del CUAV",
  "association.change-occurred": "Variazione intervenuta",
  "register.application-received": "Domanda di iscrizione ricevuta",
  "protocol.approved": "Protocollo approvato",
  "lombardy.biennium-started": "Inizio del biennio",
  "lombardy.network-joined": "Adesione alla rete regionale antiviolenza",
};

/** The obligations the cron opens (period.<timeline>). */
export const OBLIGATION_LABEL = "Apertura dell'obbligo di relazione";

/**
 * The button that records a closing event, as a clerk would say it ("Registra la richiesta di
 * misure"), not the outcome it records ("misure richieste"). Every closing event of the catalogue
 * has one (test/timelines/catalogue.test.ts).
 */
export const ACTION_LABELS: Readonly<Record<string, string>> = {
  "arrest.hearing-held": "Registra l'udienza di convalida",
  "arrest.made": "Registra l'arresto",
  "arrest.not-made": "Registra che l'arresto non è stato eseguito",
  "arrest.record-sent": "Registra la trasmissione del verbale al pubblico ministero",
  "arrest.released": "Registra la liberazione disposta dal pubblico ministero",
  "arrest.validation-decided": "Registra la decisione sulla convalida",
  "arrest.validation-requested": "Registra la richiesta di convalida",
  "indemnity.claim-filed": "Registra la presentazione della domanda",
  "lombardy.activity-report-sent": "Registra l'invio della relazione",
  "lombardy.report-presented": "Registra la presentazione della relazione",
  "measures.decided": "Registra la decisione sulle misure",
  "measures.not-requested": "Registra che non ci sono i presupposti per chiedere misure",
  "measures.requested": "Registra la richiesta di misure",
  "programme.started-suspended-sentence": "Registra l'inizio del percorso",
  "protocol.plenary-held": "Registra la seduta plenaria",
  "protocol.renewed": "Registra il rinnovo del protocollo",
  "register.change-notified": "Registra la comunicazione della variazione",
  "register.decision-issued": "Registra la decisione sulla domanda",
  "removal.hearing-held": "Registra l'udienza di convalida",
  "removal.record-sent": "Registra la trasmissione del verbale al pubblico ministero",
  "removal.revoked": "Registra la revoca dell'allontanamento",
  "removal.validation-decided": "Registra la decisione sulla convalida",
  "removal.validation-requested": "Registra la richiesta di convalida",
  "report.submitted": "Registra la trasmissione della relazione",
  "validation.decided": "Registra la decisione sulla convalida",
  "validation.hearing-held": "Registra l'udienza di convalida",
  "validation.requested": "Registra la richiesta di convalida",
  "victim.heard": "Registra l'audizione della persona offesa",
  "victim.hearing-exception": "Registra l'eccezione di legge all'audizione",
  "vigilance.reviewed": "Registra il riesame delle misure di vigilanza",
};

/** Events that neither start, close nor restart a stage: what they record. */
export const OTHER_EVENT_LABELS: Readonly<Record<string, string>> = {
  "programme.anomaly": "Anomalia nella partecipazione al programma segnalata dal CUAV",
  "register.documents-requested": "Documenti integrativi richiesti (il termine è sospeso)",
  "register.documents-received": "Documenti integrativi ricevuti (il termine riprende)",
};
