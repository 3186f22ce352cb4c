import type { TimelineInput } from "./definition.js";
import { DAY_TERM_RUNGS } from "./rungs.js";
import { noSanction } from "./consequence.js";

/**
 * Art. 362-bis c.p.p. (L. 168/2023 art. 7): the PM assesses precautionary
 * measures within 30 days of registering the suspect; the GIP decides on a
 * request within 20 days of its filing.
 */
export const ART_362_BIS: TimelineInput = {
  id: "362-bis",
  version: 1,
  title: "Valutazione delle misure cautelari (art. 362-bis c.p.p.)",
  basis: "art. 362-bis c.p.p., introdotto dall'art. 7 L. 24 novembre 2023, n. 168",
  status: "in-force",
  trigger: "suspect.registered",
  roles: { procura: "procura", gip: "gip" },
  stages: [
    {
      id: "pm-assessment",
      title: "Valutazione del pubblico ministero sulle misure cautelari",
      basis: "art. 362-bis co. 1 c.p.p.",
      startsOn: "suspect.registered",
      // Whether the August suspension pauses these terms is unsettled (brief §1):
      // we alert on the date computed without the pause.
      term: { amount: 30, unit: "days", regime: "penal", feriale: "ignore" },
      date: "term",
      // The law sets the term without a sanction: the compliance data go to the PG (art. 127 co. 1-bis disp. att.).
      consequence: noSanction("art. 362-bis co. 1 c.p.p.; art. 127 co. 1-bis disp. att. c.p.p.",
        "il rispetto del termine è rilevato nei dati trimestrali al Procuratore generale e il ritardo può rilevare sul piano disciplinare o organizzativo"),
      office: "procura",
      closesOn: { "measures.requested": "misure richieste", "measures.not-requested": "nessun presupposto" },
    },
    {
      id: "gip-decision",
      title: "Decisione del giudice per le indagini preliminari sulla richiesta",
      basis: "art. 362-bis co. 3 c.p.p.",
      startsOn: "measures.requested",
      term: { amount: 20, unit: "days", regime: "penal", feriale: "ignore" },
      date: "term",
      consequence: noSanction("art. 362-bis co. 3 c.p.p."),
      office: "gip",
      closesOn: { "measures.decided": "decisione emessa" },
    },
  ],
  rungs: DAY_TERM_RUNGS,
  notes: [
    "La sospensione feriale non è applicata: è controverso se sospenda i termini dell'art. 362-bis, e l'avviso segue la data calcolata senza sospensione.",
  ],
};
