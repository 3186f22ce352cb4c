/** Penal-procedure timelines in force (brief §3), besides art. 362-bis. */
import type { TimelineInput } from "./definition.js";
import { HOUR_TERM_RUNGS, SHORT_TERM_RUNGS } from "./rungs.js";

export const ART_362_1_TER: TimelineInput = {
  id: "362-1-ter",
  version: 1,
  title: "Assunzione di informazioni dalla persona offesa (art. 362 co. 1-ter c.p.p.)",
  basis: "art. 362 co. 1-ter c.p.p., introdotto dall'art. 2 L. 19 luglio 2019, n. 69",
  status: "in-force",
  trigger: "offence.registered",
  roles: { procura: "procura" },
  stages: [{
    id: "victim-hearing",
    title: "Assunzione di informazioni dalla persona offesa",
    basis: "art. 362 co. 1-ter c.p.p.",
    startsOn: "offence.registered",
    term: { amount: 3, unit: "days", regime: "penal", feriale: "ignore" },
    office: "procura",
    closesOn: { "victim.heard": "persona offesa sentita", "victim.hearing-exception": "eccezione di legge annotata" },
  }],
  rungs: SHORT_TERM_RUNGS,
};

export const ART_384_BIS: TimelineInput = {
  id: "384-bis",
  version: 1,
  title: "Allontanamento urgente dalla casa familiare (art. 384-bis c.p.p.)",
  basis: "art. 384-bis c.p.p., come modificato dall'art. 11 L. 24 novembre 2023, n. 168",
  status: "in-force",
  trigger: "removal.executed",
  roles: { procura: "procura", gip: "gip" },
  stages: [
    {
      id: "validation-request",
      title: "Richiesta di convalida dell'allontanamento",
      basis: "art. 384-bis co. 2-bis c.p.p.",
      startsOn: "removal.executed",
      term: { amount: 48, unit: "hours", regime: "penal", feriale: "ignore" },
      office: "procura",
      closesOn: { "validation.requested": "richiesta di convalida presentata" },
    },
    {
      id: "validation-hearing",
      title: "Udienza di convalida",
      basis: "art. 384-bis co. 2-bis c.p.p.",
      startsOn: "validation.requested",
      term: { amount: 48, unit: "hours", regime: "penal", feriale: "ignore" },
      office: "gip",
      closesOn: { "validation.decided": "convalida decisa" },
    },
  ],
  rungs: HOUR_TERM_RUNGS,
  notes: [
    "Senza richiesta di convalida nelle 48 ore l'allontanamento perde efficacia.",
    "Il momento da cui decorrono le 48 ore è un punto aperto: qui si contano dall'esecuzione dell'allontanamento e dal deposito della richiesta.",
  ],
};

export const ART_382_BIS: TimelineInput = {
  id: "382-bis",
  version: 1,
  title: "Arresto in flagranza differita (art. 382-bis c.p.p.)",
  basis: "art. 382-bis c.p.p., introdotto dalla L. 24 novembre 2023, n. 168",
  status: "in-force",
  trigger: "offence.committed",
  roles: { police: "questura" },
  stages: [{
    id: "deferred-arrest",
    title: "Arresto in flagranza differita sulla base di documentazione video o fotografica",
    basis: "art. 382-bis co. 1 c.p.p.",
    startsOn: "offence.committed",
    term: { amount: 48, unit: "hours", regime: "penal", feriale: "ignore" },
    office: "police",
    closesOn: { "arrest.made": "arresto eseguito", "arrest.not-made": "arresto non eseguito" },
  }],
  rungs: HOUR_TERM_RUNGS,
  notes: ["Trascorse 48 ore dal fatto l'arresto in flagranza differita non è più consentito."],
};
