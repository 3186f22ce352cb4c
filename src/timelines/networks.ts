/**
 * Local and regional networks: the Turin protocol and the Lombardy regional
 * law. "Once a year" obligations (the Turin plenary, the Lombardy network
 * members' activity report) are per calendar year: due by the year's end and
 * met by any qualifying act in it (version 2). Version 1 counted yearly terms
 * from the start's anniversary and stays for the instances begun under it.
 */
import type { TimelineInput } from "./definition.js";
import { noSanction } from "./consequence.js";
import { DAY_TERM_RUNGS, FIXED_DATE_RUNGS, WINDOW_RUNGS } from "./rungs.js";

type StageInput = TimelineInput["stages"][number];

const TURIN_BASIS = "protocollo d'intesa della Città metropolitana di Torino";

/** One act per calendar year, periods back to back: a year without one is late and escalated. */
function oncePerYear(o: {
  id: string; title: string; basis: string; startsOn: string; office: string; event: string; met: string; missed: string; why: string;
  /** Who sets the obligation ("Il protocollo") and what a year can lack ("la plenaria"). */
  source: string; lacking: string;
}): StageInput {
  return {
    id: o.id, title: o.title, basis: o.basis, startsOn: o.startsOn,
    term: { per: "calendar-year", why: o.why }, date: "period-end",
    consequence: {
      kind: "none", citation: o.basis,
      text: `${o.source} non collega una sanzione all'anno senza ${o.lacking}: l'anno resta segnato come mancato e la segnalazione va all'ufficio sovraordinato.`,
    },
    office: o.office, rolls: true, quota: { event: o.event, count: 1, met: o.met, missed: o.missed }, rungs: FIXED_DATE_RUNGS,
  };
}

const RENEWAL: StageInput = {
  id: "renewal",
  title: "Rinnovo del protocollo alla scadenza triennale",
  basis: `${TURIN_BASIS}, art. 9 (durata)`,
  startsOn: "protocol.approved",
  // The protocol lapses on its third anniversary: not a term for an act, so never moved for holidays.
  term: { anniversary: "lapse", amount: 3, unit: "years" },
  date: "period-end",
  consequence: {
    kind: "lapse", citation: `${TURIN_BASIS}, art. 9 («durata pari a tre anni»)`, effect: "protocollo scaduto senza rinnovo",
    text: "Senza rinnovo, il protocollo scade alla fine del triennio e i suoi impegni, riunioni comprese, non sono più in vigore.",
  },
  office: "metro",
  closesOn: { "protocol.renewed": "protocollo rinnovato" },
  rungs: WINDOW_RUNGS,
};

export const TURIN_PROTOCOL: TimelineInput = {
  id: "turin-protocol",
  version: 2,
  title: "Protocollo del Tavolo metropolitano di Torino sui programmi per autori di violenza",
  basis: "protocollo d'intesa della Città metropolitana di Torino (rete R.A.C.)",
  status: "in-force",
  trigger: "protocol.approved",
  roles: { metro: "citta-metropolitana" },
  stages: [
    oncePerYear({
      id: "plenary", title: "Riunione plenaria annuale del Tavolo", basis: `${TURIN_BASIS}, funzionamento del Tavolo («si riunisce in plenaria una volta all'anno»)`,
      startsOn: "protocol.approved", office: "metro", event: "protocol.plenary-held", met: "plenaria tenuta nell'anno", missed: "nessuna plenaria nell'anno",
      why: "«una volta all'anno»: si legge come anno solare, compreso quello dell'approvazione, perché il protocollo non lega le riunioni alla data di approvazione (nostra lettura)",
      source: "Il protocollo", lacking: "plenaria",
    }),
    RENEWAL,
  ],
  rungs: DAY_TERM_RUNGS,
  endsOn: { "protocol.renewed": "protocollo rinnovato" },
  notes: [
    "La plenaria è dovuta una volta per anno solare, in qualsiasi giorno: una seconda plenaria nello stesso anno non vale per l'anno successivo.",
    "Nostra lettura: anche l'anno dell'approvazione chiede la sua plenaria, pure se il protocollo è approvato a fine anno; una plenaria registrata in ritardo con la sua data vale per l'anno in cui si è tenuta.",
    "Le riunioni di rete (circa mensili) non hanno una scadenza: non sono seguite.",
  ],
};

/** Version 1: a plenary every year from the approval's anniversary, closed in order by any plenary. */
export const TURIN_PROTOCOL_V1: TimelineInput = {
  ...TURIN_PROTOCOL,
  version: 1,
  stages: [{
    id: "plenary", title: "Riunione plenaria annuale del Tavolo", basis: `${TURIN_BASIS}, funzionamento del Tavolo`, startsOn: "protocol.approved",
    term: { amount: 1, unit: "years", regime: "administrative", feriale: "ignore" }, date: "term",
    consequence: noSanction(`${TURIN_BASIS}, funzionamento del Tavolo`), office: "metro",
    closesOn: { "protocol.plenary-held": "plenaria tenuta" }, recurs: true, recursFrom: "anniversary", rungs: FIXED_DATE_RUNGS,
  }, RENEWAL],
  notes: ["Le riunioni di rete (circa mensili) non hanno una scadenza: non sono seguite."],
};

export const LOMBARDY_BIENNIAL_REPORT: TimelineInput = {
  id: "lombardy-biennial-report",
  version: 1,
  title: "Relazione biennale della Giunta al Consiglio regionale della Lombardia",
  basis: "art. 11 co. 1 L.R. Lombardia 3 luglio 2012, n. 11 (clausola valutativa)",
  status: "in-force",
  trigger: "lombardy.biennium-started",
  roles: { giunta: "giunta-regionale" },
  stages: [{
    id: "report",
    title: "Presentazione della relazione biennale al Consiglio regionale",
    basis: "art. 11 co. 1 L.R. Lombardia 11/2012",
    startsOn: "lombardy.biennium-started",
    term: { amount: 2, unit: "years", regime: "administrative", feriale: "ignore" },
    date: "term",
    consequence: noSanction("art. 11 co. 1 L.R. Lombardia 11/2012", "la clausola valutativa serve al controllo del Consiglio, che può chiedere conto del ritardo"),
    office: "giunta",
    closesOn: { "lombardy.report-presented": "relazione presentata" },
    recurs: true,
  }],
  rungs: WINDOW_RUNGS,
  notes: ["La legge non fissa il giorno né un biennio di calendario: ogni relazione apre il biennio successivo, contato dalla sua presentazione."],
};

const NETWORK_BASIS = "art. 11 co. 7 L.R. Lombardia 11/2012";

export const LOMBARDY_NETWORK_REPORT: TimelineInput = {
  id: "lombardy-network-report",
  version: 2,
  title: "Relazione annuale sull'attività dei soggetti della rete regionale antiviolenza",
  basis: "art. 11 co. 7 L.R. Lombardia 3 luglio 2012, n. 11",
  status: "in-force",
  trigger: "lombardy.network-joined",
  roles: { member: "centro-antiviolenza" },
  stages: [oncePerYear({
    id: "activity-report", title: "Relazione annuale sull'attività svolta alla Regione Lombardia", basis: `${NETWORK_BASIS} («forniscono ogni anno»)`,
    startsOn: "lombardy.network-joined", office: "member", event: "lombardy.activity-report-sent", met: "relazione inviata nell'anno", missed: "nessuna relazione nell'anno",
    why: "«ogni anno»: una relazione per anno solare, compreso quello dell'adesione (nostra lettura)",
    source: "La legge regionale", lacking: "relazione",
  })],
  rungs: DAY_TERM_RUNGS,
  notes: ["La relazione è dovuta una volta per anno solare, in qualsiasi giorno."],
};

/** Version 1: yearly terms from the joining, each report opening the next. */
export const LOMBARDY_NETWORK_REPORT_V1: TimelineInput = {
  ...LOMBARDY_NETWORK_REPORT,
  version: 1,
  stages: [{
    id: "activity-report", title: "Relazione annuale sull'attività svolta alla Regione Lombardia", basis: NETWORK_BASIS, startsOn: "lombardy.network-joined",
    term: { amount: 1, unit: "years", regime: "administrative", feriale: "ignore" }, date: "term", consequence: noSanction(NETWORK_BASIS),
    office: "member", closesOn: { "lombardy.activity-report-sent": "relazione inviata" }, recurs: true,
  }],
  notes: [],
};
