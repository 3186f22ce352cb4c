/**
 * Urgent removal from the family home (art. 384-bis c.p.p.): by the police in
 * flagrancy (co. 1, with the arrest rules "in quanto compatibili", co. 2) and
 * by the prosecutor's decree (co. 2-bis, L. 168/2023). Version 2 splits the
 * judge's stage into the hearing and the decision, as the arrest has them;
 * version 1 stays for the instances that started under it.
 */
import type { TimelineInput } from "./definition.js";
import { HOUR_TERM_RUNGS } from "./rungs.js";
import { HOURS_48, type Measure, becomesIneffective, hearingAndDecision, hearingInstants, recordAndRequest } from "./validation.js";

const REMOVAL: Measure = {
  the: "l'allontanamento", lapsed: "allontanamento divenuto inefficace", ceased: "allontanamento che ha cessato di avere efficacia", via: "",
};
const POLICE_REMOVAL: Measure = { ...REMOVAL, via: ", applicabile per l'art. 384-bis co. 2" };
/** Version 1's judge's stage, closed by the decision: what its expiry means is the decision's. */
const V1_HEARING = {
  kind: "lapse", citation: "art. 391 co. 7 c.p.p.", effect: REMOVAL.ceased,
  text: "Se l'ordinanza sulla convalida non è pronunciata o depositata nelle 48 ore da quando la persona è a disposizione del giudice, l'allontanamento cessa di avere efficacia.",
} as const;

const PM_REQUEST = {
  id: "validation-request",
  title: "Richiesta di convalida dell'allontanamento",
  basis: "art. 384-bis co. 2-bis c.p.p.",
  startsOn: "removal.executed",
  term: HOURS_48,
  date: "term",
  consequence: becomesIneffective(REMOVAL, "Se la richiesta di convalida non è presentata entro 48 ore", "art. 384-bis co. 2-bis c.p.p., introdotto dall'art. 11 L. 168/2023"),
  office: "procura",
  closesOn: { "validation.requested": "richiesta di convalida presentata" },
  alsoFrom: {
    field: "issuedAt",
    fieldLabel: "dall'emissione del decreto",
    eventLabel: "dall'esecuzione",
    why: "Non è verificato sul testo ufficiale se le 48 ore decorrano dall'emissione del decreto o dalla sua esecuzione",
    citation: "art. 384-bis co. 2-bis c.p.p. (punto da verificare)",
  },
} satisfies TimelineInput["stages"][number];

export const ART_384_BIS: TimelineInput = {
  id: "384-bis",
  version: 2,
  title: "Allontanamento urgente dalla casa familiare disposto dal pubblico ministero (art. 384-bis co. 2-bis c.p.p.)",
  basis: "art. 384-bis co. 2-bis c.p.p., introdotto dall'art. 11 L. 24 novembre 2023, n. 168",
  status: "in-force",
  trigger: "removal.executed",
  roles: { procura: "procura", gip: "gip" },
  stages: [
    PM_REQUEST,
    ...hearingAndDecision({
      prefix: "validation", requested: "validation.requested", decided: "validation.decided", measure: REMOVAL,
      hearingBasis: "art. 384-bis co. 2-bis c.p.p.; art. 390 co. 2 c.p.p.",
      // Whether co. 2-bis-2-sexies refer back to artt. 390-391 or set a lapse of their own could not be read here.
      decision: { citation: "art. 384-bis co. 2-bis c.p.p.; art. 391 co. 7 c.p.p.", unverified: true },
    }),
  ],
  rungs: HOUR_TERM_RUNGS,
  eventInstants: { "removal.executed": ["issuedAt"], ...hearingInstants("validation") },
  notes: [
    "Senza richiesta di convalida nelle 48 ore l'allontanamento diviene inefficace: Termini lo registra alla scadenza e non offre più la richiesta di convalida.",
    "Punto da verificare sul testo ufficiale: se le 48 ore decorrano dall'emissione del decreto (data.issuedAt) o dalla sua esecuzione; se sono indicati entrambi i momenti, si segue la scadenza più vicina e si mostrano entrambe.",
    "Il giudice fissa l'udienza entro 48 ore dalla richiesta (art. 390 co. 2 c.p.p.): un'udienza fissata per una data successiva è segnalata appena registrata.",
    "Punto da verificare sul testo ufficiale: se i commi 2-bis e seguenti rinviino agli artt. 390-391 c.p.p. o prevedano una propria perdita di efficacia; la decisione è seguita con l'avviso a 48 ore dalla richiesta.",
  ],
};

/** Version 1: one judge's stage, closed by the decision. */
export const ART_384_BIS_V1: TimelineInput = {
  ...ART_384_BIS,
  version: 1,
  stages: [PM_REQUEST, {
    id: "validation-hearing", title: "Fissazione dell'udienza di convalida", basis: "art. 384-bis co. 2-bis c.p.p.",
    startsOn: "validation.requested", term: HOURS_48, office: "gip", date: "term",
    // Whether art. 391 co. 7 reaches the PM's removal is not verified: said, never acted on.
    consequence: { ...V1_HEARING, citation: "art. 384-bis co. 2-bis c.p.p.; art. 391 co. 7 c.p.p.", unverified: true },
    closesOn: { "validation.decided": "convalida decisa" },
  }],
  eventInstants: { "removal.executed": ["issuedAt"] },
  notes: ["Senza richiesta di convalida nelle 48 ore l'allontanamento diviene inefficace.", "Le 48 ore del giudice decorrono dal deposito della richiesta di convalida."],
};

const POLICE_STAGES = recordAndRequest({
  startsOn: "removal.police-executed", events: "removal", recordTitle: "Trasmissione del verbale al pubblico ministero",
  requestTitle: "Richiesta di convalida dell'allontanamento", measure: POLICE_REMOVAL,
  stop: ["removal.revoked", "allontanamento revocato dal pubblico ministero"],
});

/**
 * Art. 384-bis co. 1: the police order the removal in flagrancy; co. 2 applies
 * the arrest rules "in quanto compatibili" — the record to the PM within 24
 * hours (art. 386 co. 3), the PM's request within 48 hours (art. 390 co. 1),
 * the hearing within the next 48 (art. 390 co. 2) and the decision within 48
 * hours of the person being at the judge's disposal (art. 391 co. 7). The
 * person is not detained: a missed term makes the removal lapse.
 */
export const ART_384_BIS_POLICE: TimelineInput = {
  id: "384-bis-police",
  version: 2,
  title: "Allontanamento urgente dalla casa familiare disposto dalla polizia giudiziaria (art. 384-bis co. 1 c.p.p.)",
  basis: "art. 384-bis co. 1 e 2 c.p.p., con gli artt. 386, 390 e 391 c.p.p. in quanto compatibili",
  status: "in-force",
  trigger: "removal.police-executed",
  roles: { police: "questura", procura: "procura", gip: "gip" },
  stages: [
    ...POLICE_STAGES,
    ...hearingAndDecision({
      prefix: "removal", requested: "removal.validation-requested", decided: "removal.validation-decided", measure: POLICE_REMOVAL,
      hearingBasis: "art. 390 co. 2 c.p.p., applicabile per l'art. 384-bis co. 2",
    }),
  ],
  rungs: HOUR_TERM_RUNGS,
  eventInstants: hearingInstants("removal"),
  notes: [
    "Le regole dell'arresto si applicano in quanto compatibili (art. 384-bis co. 2): la persona non è detenuta e, se un termine non è rispettato, l'allontanamento perde efficacia.",
    "Se il pubblico ministero revoca l'allontanamento, la convalida non segue.",
    "Le 48 ore del giudice per la decisione si contano dal deposito della richiesta, momento in cui la persona è posta a sua disposizione.",
  ],
};

/** Version 1: the hearing stage closed by the decision. */
export const ART_384_BIS_POLICE_V1: TimelineInput = {
  ...ART_384_BIS_POLICE,
  version: 1,
  basis: "art. 384-bis co. 1 e 2 c.p.p., con gli artt. 386 e 390 c.p.p. in quanto compatibili",
  stages: [...POLICE_STAGES, {
    id: "validation-hearing", title: "Udienza di convalida", basis: "art. 390 co. 2 c.p.p., applicabile per l'art. 384-bis co. 2",
    startsOn: "removal.validation-requested", term: HOURS_48, office: "gip", date: "term",
    consequence: { ...V1_HEARING, citation: `${V1_HEARING.citation}${POLICE_REMOVAL.via}` },
    closesOn: { "removal.validation-decided": "convalida decisa" },
  }],
  eventInstants: {},
  notes: ART_384_BIS_POLICE.notes!.slice(0, 2),
};
