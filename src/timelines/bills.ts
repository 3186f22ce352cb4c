/**
 * Timelines from the 2020 and 2022 Senate bills: not law in force. They
 * ship disabled; a deployment enables them (ENABLED_BILLS), and every
 * surface labels them "proposta di legge".
 */
import type { TimelineInput } from "./definition.js";
import { DAY_TERM_RUNGS } from "./rungs.js";
import { noSanction } from "./consequence.js";

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
    date: "term",
    consequence: noSanction("proposta di legge del 2022, art. 3 co. 1 lett. e)", "il ritardo può rilevare per la permanenza nel registro"),
    office: "association",
    closesOn: { "register.change-notified": "variazione comunicata" },
  }],
  rungs: DAY_TERM_RUNGS,
};

export const REGISTER_APPLICATION: TimelineInput = {
  id: "register-application",
  version: 1,
  title: "Decisione sulla domanda di iscrizione al registro delle associazioni",
  basis: "proposta di legge del 2022 (Senato), art. 3",
  status: "bill",
  trigger: "register.application-received",
  roles: { dipartimento: "dipartimento-po", applicant: "associazione" },
  stages: [{
    id: "decision",
    title: "Decisione del Dipartimento per le pari opportunità sulla domanda di iscrizione",
    basis: "proposta di legge del 2022, art. 3",
    startsOn: "register.application-received",
    term: { amount: 30, unit: "days", regime: "administrative", feriale: "ignore" },
    date: "term",
    consequence: { kind: "refusal", citation: "proposta di legge del 2022, art. 3", text: "Decorso il termine senza decisione, la domanda si intende respinta (silenzio-rigetto)." },
    office: "dipartimento",
    closesOn: { "register.decision-issued": "decisione adottata" },
    suspension: { on: "register.documents-requested", off: "register.documents-received", maxDays: 30 },
    rungs: [
      { id: "reminder-7d", kind: "reminder", at: { kind: "before-due-date", days: 7, time: "08:00" }, level: 0 },
      { id: "reminder-due-day", kind: "reminder", at: { kind: "before-due-date", days: 0, time: "08:00" }, level: 0 },
      {
        id: "silence", kind: "escalation", at: { kind: "after-due", days: 0 }, level: 0, role: "applicant",
        text: "Il termine per la decisione è decorso senza un provvedimento: secondo la proposta di legge la domanda si intende respinta (silenzio-rigetto).",
      },
    ],
  }],
  eventFields: { "register.decision-issued": { outcome: ["accepted", "rejected"] } },
  notes: ["Il silenzio del Dipartimento alla scadenza equivale al rigetto della domanda."],
};
