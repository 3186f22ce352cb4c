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
  /** Month and year terms move past holidays (and Saturdays, civil) too; otherwise the moved date is information only. */
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

// Co. 4 is the corresponding day of the final month; co. 5 the month-end rule.
const MONTH_END = "art. 2963 co. 5 c.c.";
export const MONTH_END_CITATION = MONTH_END;
export const FERIALE_CITATION = "L. 7 ottobre 1969 n. 742, art. 1";

/** The exceptions to the August suspension a caller names (L. 742/1969 artt. 2 and 3). */
export type FerialeException = "custody-waived" | "urgent" | "organised-crime" | "civil-urgent" | "labour";

const ART_2 = "art. 2 L. 742/1969 (testo sostituito dall'art. 240-bis disp. att. c.p.p.)";

export const FERIALE_EXCEPTIONS: Readonly<Record<FerialeException, { regime: "penal" | "civil"; citation: string; text: string }>> = {
  "custody-waived": { regime: "penal", citation: ART_2, text: "procedimento con imputato in custodia cautelare che, o il cui difensore, rinuncia alla sospensione" },
  "organised-crime": { regime: "penal", citation: ART_2, text: "termini delle indagini preliminari nei procedimenti per reati di criminalità organizzata" },
  urgent: { regime: "penal", citation: ART_2, text: "urgenza dichiarata dal giudice (prescrizione o termini di custodia cautelare prossimi a scadere)" },
  "civil-urgent": {
    regime: "civil",
    citation: "art. 3 L. 742/1969 e art. 92 R.D. 30 gennaio 1941 n. 12",
    text: "materia urgente (alimenti, procedimenti cautelari, ordini di protezione contro gli abusi familiari, sfratti, opposizioni all'esecuzione, procedure concorsuali, cause dichiarate urgenti)",
  },
  labour: { regime: "civil", citation: "art. 3 L. 742/1969", text: "controversia di lavoro o di previdenza" },
};
export const LOCAL_CLOSURE_CITATION = "Cass. lav. 17079/2007";
export const DST_CITATION = "Direttiva 2000/84/CE";

export const REGIMES: Readonly<Record<Regime, RegimeRules>> = {
  penal: {
    // Co. 1 only lists the units; co. 2 sets the ordinary calendar.
    calendar: "Art. 172 co. 2 c.p.p.",
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
    // Co. 4 is not limited to day terms (Cass. 6748/2005, ord. 2763/2020), nor is co. 5 (Cass. 23375/2016).
    movesMonths: true,
    saturdayMoves: "art. 155 co. 5 c.p.c.",
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
