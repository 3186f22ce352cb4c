/**
 * The stages of a validation (convalida) after a police or prosecutor's
 * urgent measure, shared by the arrest and the removals: the record to the
 * PM (art. 386 co. 3), the PM's request (art. 390 co. 1), the hearing (art.
 * 390 co. 2) and the decision (art. 391 co. 7), each with what its expiry
 * does to the measure.
 */
import type { TimelineInput } from "./definition.js";
import type { Consequence } from "./consequence.js";
import type { z } from "zod";

type StageInput = TimelineInput["stages"][number];
type ConsequenceInput = z.input<typeof Consequence>;

export const HOURS_48 = { amount: 48, unit: "hours", regime: "penal", feriale: "ignore" } as const;
const HOURS_24 = { amount: 24, unit: "hours", regime: "penal", feriale: "ignore" } as const;

/** The measure as the consequences name it: "l'arresto", "l'allontanamento". */
export interface Measure {
  /** With its article: "l'arresto", "l'allontanamento". */
  the: string;
  /** Its outcome when lapsed: "arresto divenuto inefficace". */
  lapsed: string;
  /** When it has ceased to have effect: "arresto che ha cessato di avere efficacia". */
  ceased: string;
  /** ", applicabile per l'art. 384-bis co. 2" where the arrest rules apply "in quanto compatibili". */
  via: string;
}

/** "Diviene inefficace": a term of art. 386 co. 3 or 390 co. 1 not kept (art. 386 co. 7, art. 390 co. 3). */
export function becomesIneffective(m: Measure, what: string, citation: string, unverified = false): ConsequenceInput {
  return { kind: "lapse", text: `${what}, ${m.the} diviene inefficace.`, citation: citation + m.via, effect: m.lapsed, unverified };
}

/** Art. 391 co. 7: the order not pronounced or filed in the 48 hours, the measure "cessa di avere efficacia". */
function ceasesToHaveEffect(m: Measure, citation: string, unverified: boolean): ConsequenceInput {
  return {
    kind: "lapse", unverified, citation: citation + m.via, effect: m.ceased,
    text: `Se l'ordinanza sulla convalida non è pronunciata o depositata nelle 48 ore da quando la persona è a disposizione del giudice, ${m.the} cessa di avere efficacia.`,
  };
}

/**
 * After police action (arrest, or removal "in quanto compatibili"): the record
 * reaches the PM within 24 hours (art. 386 co. 3), and the PM requests
 * validation within 48 (art. 390 co. 1) unless a stop event (release,
 * revocation) ends it — both counted from the action.
 */
export function recordAndRequest(o: {
  startsOn: string; events: "arrest" | "removal"; recordTitle: string; requestTitle: string; measure: Measure; stop: [string, string];
}): StageInput[] {
  const m = o.measure;
  return [
    {
      id: "record-to-pm", title: o.recordTitle, basis: `art. 386 co. 3 c.p.p.${m.via}`, startsOn: o.startsOn, term: HOURS_24, office: "police",
      date: "term", consequence: becomesIneffective(m, "Se il verbale non è messo a disposizione del pubblico ministero entro 24 ore", "art. 386 co. 7 c.p.p."),
      closesOn: { [`${o.events}.record-sent`]: "verbale trasmesso al pubblico ministero" },
      closedAlsoBy: { [`${o.events}.validation-requested`]: "verbale pervenuto al pubblico ministero (richiesta di convalida presentata)" },
    },
    {
      id: "validation-request", title: o.requestTitle, basis: `art. 390 co. 1 c.p.p.${m.via}`, startsOn: o.startsOn, term: HOURS_48, office: "procura",
      date: "term", consequence: becomesIneffective(m, "Se il pubblico ministero non chiede la convalida entro 48 ore", "art. 390 co. 3 c.p.p."),
      closesOn: { [`${o.events}.validation-requested`]: "richiesta di convalida presentata", [o.stop[0]]: o.stop[1] },
    },
  ];
}

/**
 * The judge's two stages, both from the request (the person is at the judge's
 * disposal once it is filed): the hearing, fixed "al più presto e comunque
 * entro le quarantotto ore successive" (art. 390 co. 2), whose fixing is
 * recorded with its date and flagged at once when it falls outside; and the
 * decision, within 48 hours on pain of the measure ceasing (art. 391 co. 7).
 */
export function hearingAndDecision(o: {
  prefix: string; requested: string; decided: string; measure: Measure; hearingBasis: string; decision?: { citation: string; unverified: boolean };
}): StageInput[] {
  // The hearing's consequence is the decision's: unverified where the decision's is.
  const m = o.measure;
  const decision = o.decision ?? { citation: "art. 391 co. 7 c.p.p.", unverified: false };
  return [
    {
      id: "validation-hearing", title: "Udienza di convalida", basis: o.hearingBasis,
      startsOn: o.requested, term: HOURS_48, office: "gip", date: "term",
      consequence: {
        kind: "none", citation: `art. 390 co. 2 c.p.p.; ${decision.citation}`, unverified: decision.unverified,
        text: "La legge non prevede una sanzione propria per l'udienza tenuta oltre le 48 ore, ma un'udienza così tardiva non consente di decidere in tempo: " +
          `se l'ordinanza non è pronunciata o depositata nelle 48 ore, ${m.the} cessa di avere efficacia.`,
      },
      scheduledBy: { event: `${o.prefix}.hearing-fixed`, field: "hearingAt" },
      closesOn: { [`${o.prefix}.hearing-held`]: "udienza di convalida tenuta" },
      closedAlsoBy: { [o.decided]: "udienza di convalida tenuta (convalida decisa)" },
    },
    {
      id: "validation-decision", title: "Decisione sulla convalida", basis: decision.citation + m.via,
      startsOn: o.requested, term: HOURS_48, office: "gip", date: "term",
      consequence: ceasesToHaveEffect(m, decision.citation, decision.unverified),
      closesOn: { [o.decided]: "convalida decisa" },
    },
  ];
}

/** What the hearing-fixed event carries, for the timeline's eventInstants. */
export const hearingInstants = (prefix: string): Record<string, string[]> => ({ [`${prefix}.hearing-fixed`]: ["hearingAt"] });
