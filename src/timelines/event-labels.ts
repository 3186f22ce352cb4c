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
