/** Penal-procedure timelines in force (brief §3), besides art. 362-bis. */
import type { TimelineInput } from "./definition.js";

import { HOUR_TERM_RUNGS, SHORT_TERM_RUNGS } from "./rungs.js";
import { noSanction } from "./consequence.js";
import { HOURS_48, type Measure, hearingAndDecision, hearingInstants, recordAndRequest } from "./validation.js";

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
    date: "term",
    consequence: noSanction("art. 362 co. 1-ter c.p.p."),
    office: "procura",
    closesOn: { "victim.heard": "persona offesa sentita", "victim.hearing-exception": "eccezione di legge annotata" },
  }],
  rungs: SHORT_TERM_RUNGS,
};

const ARREST: Measure = { the: "l'arresto", lapsed: "arresto divenuto inefficace", ceased: "arresto che ha cessato di avere efficacia", via: "" };

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
      date: "term",
      consequence: {
        kind: "preclusion", citation: "art. 382-bis co. 1 c.p.p.",
        text: "Trascorse 48 ore dal fatto, l'arresto in flagranza differita non è più consentito.",
      },
      office: "police",
      closesOn: { "arrest.made": "arresto eseguito", "arrest.not-made": "arresto non eseguito" },
    },
    ...recordAndRequest({
      startsOn: "arrest.made", events: "arrest", recordTitle: "Arrestato a disposizione del pubblico ministero e trasmissione del verbale",
      requestTitle: "Richiesta di convalida dell'arresto", measure: ARREST,
      // Release ordered by the PM (art. 389 c.p.p.; art. 121 disp. att.): no validation follows.
      stop: ["arrest.released", "liberazione disposta dal pubblico ministero"],
    }),
    ...hearingAndDecision({
      prefix: "arrest", requested: "arrest.validation-requested", decided: "arrest.validation-decided", measure: ARREST, hearingBasis: "art. 390 co. 2 c.p.p.",
    }),
  ],
  rungs: HOUR_TERM_RUNGS,
  eventInstants: hearingInstants("arrest"),
  notes: [
    "Trascorse 48 ore dal fatto l'arresto in flagranza differita non è più consentito.",
    "Senza richiesta di convalida entro 48 ore dall'arresto, l'arresto perde efficacia (art. 390 co. 3 c.p.p.); l'ordinanza di convalida non pronunciata nelle 48 ore da quando l'arrestato è a disposizione del giudice perde efficacia (art. 391 co. 7 c.p.p.).",
    "Le 48 ore del giudice si contano dal deposito della richiesta, momento in cui l'arrestato è posto a sua disposizione.",
  ],
};
