/**
 * The three computation regimes of the brief (§1) as data: which rules move
 * a deadline, and the citation shown to users for each rule.
 */

export type Regime = "penal" | "civil" | "administrative";

export interface RegimeRules {
  /** Terms run on the ordinary calendar. */
  calendar: string;
  /** The starting day or hour is not counted. */
  diesAQuo: string;
  /** The opening of the dies-a-quo explanation, built once. */
  diesAQuoLead: string;
  /** A term ending on a public holiday moves to the next non-holiday day. */
  holiday: string;
  /** Month and year terms move past holidays too (otherwise: informational date only). */
  movesMonths: boolean;
  /** Citation when Saturday moves a term; undefined where Saturday is an ordinary day. */
  saturdayMoves: string | undefined;
  /** Citation for "Saturday is not a holiday", where it is an ordinary day. */
  saturdayOrdinary: string | undefined;
  /** The term lasts until the end of its last day. */
  endOfDay: string;
  /** Follows "Il termine scade alle 23:59:59 del DD/MM/YYYY". */
  endOfDayText: string;
  /** Judicial terms only: the August suspension can apply. */
  suspensible: boolean;
}

const MONTH_END = "art. 2963 co. 4 c.c.";
export const MONTH_END_CITATION = MONTH_END;
export const FERIALE_CITATION = "L. 7 ottobre 1969 n. 742, art. 1";
export const LOCAL_CLOSURE_CITATION = "Cass. lav. 17079/2007";
export const DST_CITATION = "Direttiva 2000/84/CE";

export const REGIMES: Readonly<Record<Regime, RegimeRules>> = {
  penal: {
    calendar: "Art. 172 co. 1 c.p.p.",
    diesAQuo: "Art. 172 co. 4 c.p.p.",
    diesAQuoLead: "Art. 172 co. 4 c.p.p." + ": il giorno iniziale (",
    holiday: "art. 172 co. 3 c.p.p.",
    movesMonths: false,
    saturdayMoves: undefined,
    saturdayOrdinary: "Cass. pen. sez. IV 9171/2018",
    endOfDay: "art. 172 co. 6-bis c.p.p.",
    endOfDayText:
      " per il deposito telematico (art. 172 co. 6-bis c.p.p.); per gli atti cartacei vale l'orario di chiusura dell'ufficio (art. 172 co. 6 c.p.p.)",
    suspensible: true,
  },
  civil: {
    calendar: "Art. 155 co. 2 c.p.c.",
    diesAQuo: "Art. 155 co. 1 c.p.c.",
    diesAQuoLead: "Art. 155 co. 1 c.p.c." + ": il giorno iniziale (",
    holiday: "art. 155 co. 4 c.p.c.",
    movesMonths: false,
    saturdayMoves: "art. 155 co. 4 e 5 c.p.c.",
    saturdayOrdinary: undefined,
    endOfDay: "art. 196-sexies disp. att. c.p.c.",
    endOfDayText:
      " se il deposito telematico è completato entro la fine del giorno di scadenza (art. 196-sexies disp. att. c.p.c.)",
    suspensible: true,
  },
  administrative: {
    calendar: "Art. 2963 co. 1 c.c.",
    diesAQuo: "Art. 2963 co. 2 c.c.",
    diesAQuoLead: "Art. 2963 co. 2 c.c." + ": il giorno iniziale (",
    holiday: "art. 2963 co. 3 c.c.",
    movesMonths: true,
    saturdayMoves: undefined,
    saturdayOrdinary: "L. 260/1949 art. 2",
    endOfDay: "art. 2963 co. 2 c.c.",
    endOfDayText: " con lo spirare dell'ultimo istante del giorno finale (art. 2963 co. 2 c.c.)",
    suspensible: false,
  },
};
