/**
 * Timelines from the 2020 and 2022 Senate bills: not law in force. They
 * ship disabled; a deployment enables them (ENABLED_BILLS), and every
 * surface labels them "proposta di legge".
 */
import type { TimelineInput } from "./definition.js";
import { DAY_TERM_RUNGS } from "./rungs.js";

export const REGISTER_CHANGES: TimelineInput = {
  id: "register-changes",
  version: 1,
  title: "Comunicazione delle variazioni al registro delle associazioni",
  basis: "proposta di legge del 2022 (Senato), art. 3 co. 1 lett. e)",
  status: "bill",
  trigger: "association.change-occurred",
  roles: { association: "associazione" },
  stages: [{
    id: "change-notice",
    title: "Comunicazione della variazione al Dipartimento per le pari opportunità",
    basis: "proposta di legge del 2022, art. 3 co. 1 lett. e)",
    startsOn: "association.change-occurred",
    term: { amount: 3, unit: "months", regime: "administrative", feriale: "ignore" },
    office: "association",
    closesOn: { "register.change-notified": "variazione comunicata" },
  }],
  rungs: DAY_TERM_RUNGS,
};
