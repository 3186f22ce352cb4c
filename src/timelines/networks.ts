/** Local and regional networks: the Turin protocol and the Lombardy regional law. */
import type { TimelineInput } from "./definition.js";
import { DAY_TERM_RUNGS, FIXED_DATE_RUNGS, WINDOW_RUNGS } from "./rungs.js";

export const TURIN_PROTOCOL: TimelineInput = {
  id: "turin-protocol",
  version: 1,
  title: "Protocollo del Tavolo metropolitano di Torino sui programmi per autori di violenza",
  basis: "protocollo d'intesa della Città metropolitana di Torino (rete R.A.C.)",
  status: "in-force",
  trigger: "protocol.approved",
  roles: { metro: "citta-metropolitana" },
  stages: [
    {
      id: "plenary",
      title: "Riunione plenaria annuale del Tavolo",
      basis: "protocollo d'intesa della Città metropolitana di Torino, funzionamento del Tavolo",
      startsOn: "protocol.approved",
      term: { amount: 1, unit: "years", regime: "administrative", feriale: "ignore" },
      office: "metro",
      closesOn: { "protocol.plenary-held": "plenaria tenuta" },
      recurs: true,
      // A plenary every year on the protocol's anniversary, with the reminders of dates fixed in advance.
      recursFrom: "anniversary",
      rungs: FIXED_DATE_RUNGS,
    },
    {
      id: "renewal",
      title: "Rinnovo del protocollo alla scadenza triennale",
      basis: "protocollo d'intesa della Città metropolitana di Torino, durata",
      startsOn: "protocol.approved",
      // The protocol lapses on its third anniversary: not a term for an act, so never moved for holidays.
      term: { anniversary: "lapse", amount: 3, unit: "years" },
      office: "metro",
      closesOn: { "protocol.renewed": "protocollo rinnovato" },
      rungs: WINDOW_RUNGS,
    },
  ],
  rungs: DAY_TERM_RUNGS,
  endsOn: { "protocol.renewed": "protocollo rinnovato" },
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
    office: "giunta",
    closesOn: { "lombardy.report-presented": "relazione presentata" },
    recurs: true,
  }],
  rungs: WINDOW_RUNGS,
  notes: ["La legge non fissa il giorno: ogni relazione apre il biennio successivo."],
};

export const LOMBARDY_NETWORK_REPORT: TimelineInput = {
  id: "lombardy-network-report",
  version: 1,
  title: "Relazione annuale sull'attività dei soggetti della rete regionale antiviolenza",
  basis: "art. 11 co. 7 L.R. Lombardia 3 luglio 2012, n. 11",
  status: "in-force",
  trigger: "lombardy.network-joined",
  roles: { member: "centro-antiviolenza" },
  stages: [{
    id: "activity-report",
    title: "Relazione annuale sull'attività svolta alla Regione Lombardia",
    basis: "art. 11 co. 7 L.R. Lombardia 11/2012",
    startsOn: "lombardy.network-joined",
    term: { amount: 1, unit: "years", regime: "administrative", feriale: "ignore" },
    office: "member",
    closesOn: { "lombardy.activity-report-sent": "relazione inviata" },
    recurs: true,
  }],
  rungs: DAY_TERM_RUNGS,
};
