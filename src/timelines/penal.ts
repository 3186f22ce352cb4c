/** Penal-procedure timelines in force (brief §3), besides art. 362-bis. */
import type { TimelineInput } from "./definition.js";

type StageInput = TimelineInput["stages"][number];
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

const HOURS_48 = { amount: 48, unit: "hours", regime: "penal", feriale: "ignore" } as const;
const HOURS_24 = { amount: 24, unit: "hours", regime: "penal", feriale: "ignore" } as const;

export const ART_384_BIS: TimelineInput = {
  id: "384-bis",
  version: 1,
  title: "Allontanamento urgente dalla casa familiare disposto dal pubblico ministero (art. 384-bis co. 2-bis c.p.p.)",
  basis: "art. 384-bis co. 2-bis c.p.p., introdotto dall'art. 11 L. 24 novembre 2023, n. 168",
  status: "in-force",
  trigger: "removal.executed",
  roles: { procura: "procura", gip: "gip" },
  stages: [
    {
      id: "validation-request",
      title: "Richiesta di convalida dell'allontanamento",
      basis: "art. 384-bis co. 2-bis c.p.p.",
      startsOn: "removal.executed",
      term: HOURS_48,
      office: "procura",
      closesOn: { "validation.requested": "richiesta di convalida presentata" },
      alsoFrom: {
        field: "issuedAt",
        fieldLabel: "dall'emissione del decreto",
        eventLabel: "dall'esecuzione",
        why: "Non è verificato sul testo ufficiale se le 48 ore decorrano dall'emissione del decreto o dalla sua esecuzione",
        citation: "art. 384-bis co. 2-bis c.p.p. (punto da verificare)",
      },
    },
    {
      id: "validation-hearing",
      title: "Fissazione dell'udienza di convalida",
      basis: "art. 384-bis co. 2-bis c.p.p.",
      startsOn: "validation.requested",
      term: HOURS_48,
      office: "gip",
      closesOn: { "validation.decided": "convalida decisa" },
    },
  ],
  rungs: HOUR_TERM_RUNGS,
  eventInstants: { "removal.executed": ["issuedAt"] },
  notes: [
    "Senza richiesta di convalida nelle 48 ore l'allontanamento perde efficacia.",
    "Punto da verificare sul testo ufficiale: se le 48 ore decorrano dall'emissione del decreto (data.issuedAt) o dalla sua esecuzione; se sono indicati entrambi i momenti, si segue la scadenza più vicina e si mostrano entrambe.",
    "Le 48 ore del giudice decorrono dal deposito della richiesta di convalida.",
  ],
};

/**
 * After police action (arrest, or removal "in quanto compatibili"): the record
 * reaches the PM within 24 hours (art. 386 co. 3), and the PM requests
 * validation within 48 (art. 390 co. 1) unless a stop event (release,
 * revocation) ends it — both counted from the action.
 */
function recordAndRequest(o: {
  startsOn: string; events: "arrest" | "removal"; recordTitle: string; requestTitle: string; compatible: boolean; stop: [string, string];
}): StageInput[] {
  const via = o.compatible ? " (art. 384-bis co. 2)" : "";
  return [
    {
      id: "record-to-pm", title: o.recordTitle, basis: `art. 386 co. 3 c.p.p.${via}`, startsOn: o.startsOn, term: HOURS_24, office: "police",
      closesOn: { [`${o.events}.record-sent`]: "verbale trasmesso al pubblico ministero" },
    },
    {
      id: "validation-request", title: o.requestTitle, basis: `art. 390 co. 1 c.p.p.${via}`, startsOn: o.startsOn, term: HOURS_48, office: "procura",
      closesOn: { [`${o.events}.validation-requested`]: "richiesta di convalida presentata", [o.stop[0]]: o.stop[1] },
    },
  ];
}

/**
 * Art. 384-bis co. 1: the police order the removal in flagrancy; co. 2 applies
 * the arrest rules "in quanto compatibili" — the record to the PM within 24
 * hours (art. 386 co. 3), the PM's request within 48 hours (art. 390 co. 1),
 * the hearing within the next 48 (art. 390 co. 2). The person is not detained:
 * a missed term makes the removal lapse.
 */
export const ART_384_BIS_POLICE: TimelineInput = {
  id: "384-bis-police",
  version: 1,
  title: "Allontanamento urgente dalla casa familiare disposto dalla polizia giudiziaria (art. 384-bis co. 1 c.p.p.)",
  basis: "art. 384-bis co. 1 e 2 c.p.p., con gli artt. 386 e 390 c.p.p. in quanto compatibili",
  status: "in-force",
  trigger: "removal.police-executed",
  roles: { police: "questura", procura: "procura", gip: "gip" },
  stages: [
    ...recordAndRequest({
      startsOn: "removal.police-executed", events: "removal", recordTitle: "Trasmissione del verbale al pubblico ministero",
      requestTitle: "Richiesta di convalida dell'allontanamento", compatible: true,
      stop: ["removal.revoked", "allontanamento revocato dal pubblico ministero"],
    }),
    {
      id: "validation-hearing", title: "Udienza di convalida", basis: "art. 390 co. 2 c.p.p. (art. 384-bis co. 2)",
      startsOn: "removal.validation-requested", term: HOURS_48, office: "gip",
      closesOn: { "removal.validation-decided": "convalida decisa" },
    },
  ],
  rungs: HOUR_TERM_RUNGS,
  notes: [
    "Le regole dell'arresto si applicano in quanto compatibili (art. 384-bis co. 2): la persona non è detenuta e, se un termine non è rispettato, l'allontanamento perde efficacia.",
    "Se il pubblico ministero revoca l'allontanamento, la convalida non segue.",
  ],
};

export const ART_382_BIS: TimelineInput = {
  id: "382-bis",
  version: 1,
  title: "Arresto in flagranza differita e convalida (artt. 382-bis, 386, 390, 391 c.p.p.)",
  basis: "art. 382-bis c.p.p., introdotto dall'art. 10 L. 24 novembre 2023, n. 168; artt. 386, 390 e 391 c.p.p.",
  status: "in-force",
  trigger: "offence.committed",
  roles: { police: "questura", procura: "procura", gip: "gip" },
  stages: [
    {
      id: "deferred-arrest",
      title: "Arresto in flagranza differita sulla base di documentazione video o fotografica",
      basis: "art. 382-bis co. 1 c.p.p.",
      startsOn: "offence.committed",
      term: HOURS_48,
      office: "police",
      closesOn: { "arrest.made": "arresto eseguito", "arrest.not-made": "arresto non eseguito" },
    },
    ...recordAndRequest({
      startsOn: "arrest.made", events: "arrest", recordTitle: "Arrestato a disposizione del pubblico ministero e trasmissione del verbale",
      requestTitle: "Richiesta di convalida dell'arresto", compatible: false,
      // Release ordered by the PM (art. 389 c.p.p.; art. 121 disp. att.): no validation follows.
      stop: ["arrest.released", "liberazione disposta dal pubblico ministero"],
    }),
    {
      id: "validation-hearing", title: "Fissazione dell'udienza di convalida", basis: "art. 390 co. 2 c.p.p.",
      startsOn: "arrest.validation-requested", term: HOURS_48, office: "gip",
      closesOn: { "arrest.hearing-held": "udienza di convalida tenuta" },
    },
    {
      id: "validation-decision", title: "Decisione sulla convalida (termine perentorio)", basis: "art. 391 co. 7 c.p.p.",
      // The person is at the judge's disposal once the request is filed.
      startsOn: "arrest.validation-requested", term: HOURS_48, office: "gip",
      closesOn: { "arrest.validation-decided": "convalida decisa" },
    },
  ],
  rungs: HOUR_TERM_RUNGS,
  notes: [
    "Trascorse 48 ore dal fatto l'arresto in flagranza differita non è più consentito.",
    "Senza richiesta di convalida entro 48 ore dall'arresto, l'arresto perde efficacia (art. 390 co. 3 c.p.p.); l'ordinanza di convalida non pronunciata nelle 48 ore da quando l'arrestato è a disposizione del giudice perde efficacia (art. 391 co. 7 c.p.p.).",
    "Le 48 ore del giudice si contano dal deposito della richiesta, momento in cui l'arrestato è posto a sua disposizione.",
  ],
};
