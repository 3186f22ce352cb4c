/** Administrative timelines in force (brief §3). */
import type { TimelineInput } from "./definition.js";
import { DAY_TERM_RUNGS, WINDOW_RUNGS } from "./rungs.js";
import { noSanction } from "./consequence.js";

export const INDEMNITY_CLAIM: TimelineInput = {
  id: "indemnity-claim",
  version: 1,
  title: "Domanda di indennizzo per le vittime di reati intenzionali violenti",
  basis: "art. 13 L. 7 luglio 2016, n. 122, come modificato dall'art. 16 L. 24 novembre 2023, n. 168",
  status: "in-force",
  trigger: "decision.final",
  roles: { prefettura: "prefettura" },
  stages: [{
    id: "claim",
    title: "Presentazione della domanda di indennizzo alla Prefettura",
    basis: "art. 13 co. 2 L. 122/2016",
    startsOn: "decision.final",
    term: { amount: 120, unit: "days", regime: "administrative", feriale: "ignore" },
    date: "term",
    // The text read here (co. 2, as the Prefetture quote it) does not say "a pena di decadenza".
    consequence: {
      kind: "forfeiture", citation: "art. 13 co. 2 L. 122/2016", unverified: true,
      text: "Il termine è inteso come di decadenza: la domanda presentata dopo i 120 giorni non è accolta e il diritto all'indennizzo si perde.",
    },
    office: "prefettura",
    closesOn: { "indemnity.claim-filed": "domanda presentata" },
    // Art. 13 co. 2: "dalla decisione che ha definito il giudizio per essere ignoto l'autore del reato o dall'ultimo atto
    // dell'azione esecutiva infruttuosamente esperita ovvero dalla data del passaggio in giudicato della sentenza penale".
    starts: {
      field: "ground",
      labels: {
        "judgment": "dal passaggio in giudicato della sentenza penale",
        "author-unknown": "dalla decisione che ha definito il giudizio per essere ignoto l'autore del reato",
      },
      restartsOn: { "enforcement.failed": "dall'ultimo atto dell'azione esecutiva infruttuosamente esperita" },
      citation: "art. 13 co. 2 L. 122/2016",
    },
  }],
  rungs: WINDOW_RUNGS,
  eventFields: { "decision.final": { ground: ["judgment", "author-unknown"] } },
  notes: [
    "Il termine è della vittima: gli avvisi vanno alla Prefettura che riceve la domanda, e non c'è un ufficio da sollecitare alla scadenza.",
    "Il termine decorre dalla decisione che ha definito il giudizio per essere ignoto l'autore (data.ground «author-unknown»), dal passaggio in giudicato della sentenza penale (data.ground «judgment», il valore predefinito) o, se l'autore è noto e la vittima ha dovuto tentare l'esecuzione nei suoi confronti, dall'ultimo atto dell'azione esecutiva infruttuosamente esperita (evento enforcement.failed), che sposta la scadenza.",
    "La vittima è esonerata dal tentare l'esecuzione, e il termine decorre dalla sentenza, nei casi dell'art. 13 co. 1 lett. b) L. 122/2016, tra cui l'omicidio commesso dal coniuge, dall'altra parte dell'unione civile o dal convivente (art. 16 L. 168/2023); l'elenco completo è da verificare sul testo ufficiale.",
    "Da verificare sul testo ufficiale: il testo consultato dell'art. 13 co. 2 non reca le parole «a pena di decadenza»; la L. 181/2025 ha modificato la L. 122/2016 e il suo testo non è stato consultato.",
  ],
};

export const AMMONIMENTO_REVOCATION: TimelineInput = {
  id: "ammonimento-revocation",
  version: 1,
  title: "Revoca dell'ammonimento: prima data utile",
  basis: "art. 3 D.L. 14 agosto 2013, n. 93, come modificato dall'art. 1 L. 24 novembre 2023, n. 168; per l'ammonimento per atti persecutori, art. 8 D.L. 23 febbraio 2009, n. 11",
  status: "in-force",
  trigger: "ammonimento.issued",
  roles: { questura: "questura" },
  stages: [{
    id: "earliest-revocation",
    title: "Prima data da cui l'ammonito può chiedere la revoca al Questore",
    basis: "art. 3 D.L. 93/2013 (art. 1 L. 168/2023); art. 8 D.L. 11/2009",
    startsOn: "ammonimento.issued",
    // "Not before three years": the day after the third anniversary, never moved for holidays.
    term: { anniversary: "earliest", amount: 3, unit: "years" },
    date: "earliest",
    consequence: { kind: "not-a-term", citation: "art. 3 D.L. 93/2013", text: "È la prima data da cui si può chiedere la revoca: non c'è un atto da compiere entro questa data." },
    office: "questura",
    informational: true,
  }],
  notes: [
    "È una data minima («dal»), non una scadenza: nessun promemoria e nessuna segnalazione.",
    "Nostra lettura: i tre anni si compiono con il giorno dell'anniversario (per analogia con l'art. 2963 co. 2 c.c.), e la data non si sposta per i festivi perché non è la scadenza di un termine.",
    "Vale sia per l'ammonimento per violenza domestica (art. 3 D.L. 93/2013) sia per quello per atti persecutori (art. 8 D.L. 11/2009).",
  ],
};

export const VIGILANCE_REVIEW: TimelineInput = {
  id: "vigilance-review",
  version: 1,
  title: "Riesame periodico delle misure di vigilanza a tutela della persona offesa",
  basis: "art. 299 co. 2-quater c.p.p., inserito dall'art. 14 co. 1 lett. b) L. 24 novembre 2023, n. 168 (misure di vigilanza dinamica del Prefetto, da sottoporre a revisione trimestrale)",
  status: "in-force",
  trigger: "vigilance.ordered",
  roles: { prefettura: "prefettura" },
  stages: [{
    id: "review",
    title: "Riesame trimestrale delle misure di vigilanza",
    basis: "art. 299 co. 2-quater c.p.p., inserito dall'art. 14 L. 168/2023",
    startsOn: "vigilance.ordered",
    term: { amount: 3, unit: "months", regime: "administrative", feriale: "ignore" },
    date: "term",
    consequence: noSanction("art. 299 co. 2-quater c.p.p.", "le misure restano in vigore finché non sono revocate, e il ritardo nella revisione può rilevare sul piano organizzativo"),
    office: "prefettura",
    closesOn: { "vigilance.reviewed": "riesame effettuato" },
    recurs: true,
  }],
  rungs: DAY_TERM_RUNGS,
  endsOn: { "vigilance.revoked": "misure revocate" },
  notes: [
    "Ogni riesame apre il periodo successivo di tre mesi, fino alla revoca delle misure.",
  ],
};
