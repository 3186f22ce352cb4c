/**
 * Holidays as effective-dated data, each with its source. National holidays
 * extend day terms (art. 172 co. 3 c.p.p., art. 155 co. 4 c.p.c., art. 2963
 * co. 3 c.c.); local patron-saint days only close offices and never move a
 * deadline (Cass. lav. 17079/2007).
 */

type DateRule =
  | { kind: "fixed"; month: number; day: number }
  | { kind: "easter"; offsetDays: number }
  | { kind: "weekday"; weekday: number };

export interface HolidayRule {
  id: string;
  /** Italian name, shown to users. */
  name: string;
  rule: DateRule;
  /** First day on which the rule applies (YYYY-MM-DD); absent: before the engine's range. */
  validFrom?: string;
  /** Last day on which the rule applies (YYYY-MM-DD); absent: still in force. */
  validTo?: string;
  source: string;
}

const L260 = "L. 27 maggio 1949 n. 260, art. 2";

export const NATIONAL_HOLIDAYS: readonly HolidayRule[] = [
  { id: "domenica", name: "domenica", rule: { kind: "weekday", weekday: 0 }, source: L260 },
  { id: "capodanno", name: "Capodanno", rule: { kind: "fixed", month: 1, day: 1 }, source: L260 },
  {
    id: "epifania",
    name: "Epifania",
    rule: { kind: "fixed", month: 1, day: 6 },
    // Abolished by L. 54/1977, restored from 1986.
    validFrom: "1986-01-01",
    source: "D.P.R. 28 dicembre 1985 n. 792",
  },
  {
    id: "unita-150",
    name: "150° anniversario dell'Unità d'Italia",
    rule: { kind: "fixed", month: 3, day: 17 },
    // A one-off holiday "ai sensi degli articoli 2 e 4 della legge 260/1949".
    validFrom: "2011-03-17",
    validTo: "2011-03-17",
    source: "D.L. 22 febbraio 2011 n. 5, art. 1 (conv. L. 21 aprile 2011 n. 47)",
  },
  { id: "pasquetta", name: "Lunedì dell'Angelo", rule: { kind: "easter", offsetDays: 1 }, source: L260 },
  {
    id: "liberazione",
    name: "Anniversario della Liberazione",
    rule: { kind: "fixed", month: 4, day: 25 },
    source: L260,
  },
  { id: "lavoro", name: "Festa del lavoro", rule: { kind: "fixed", month: 5, day: 1 }, source: L260 },
  {
    id: "repubblica",
    name: "Festa della Repubblica",
    rule: { kind: "fixed", month: 6, day: 2 },
    // From 1977 to 2000 it was moved to the first Sunday of June (L. 54/1977).
    validFrom: "2001-01-01",
    source: "L. 20 novembre 2000 n. 336",
  },
  { id: "assunzione", name: "Assunzione", rule: { kind: "fixed", month: 8, day: 15 }, source: L260 },
  {
    id: "san-francesco",
    name: "San Francesco d'Assisi, patrono d'Italia",
    rule: { kind: "fixed", month: 10, day: 4 },
    validFrom: "2026-01-01",
    source: "L. 151/2025 (in vigore dal 1° gennaio 2026)",
  },
  { id: "ognissanti", name: "Ognissanti", rule: { kind: "fixed", month: 11, day: 1 }, source: L260 },
  {
    id: "immacolata",
    name: "Immacolata Concezione",
    rule: { kind: "fixed", month: 12, day: 8 },
    source: L260,
  },
  { id: "natale", name: "Natale", rule: { kind: "fixed", month: 12, day: 25 }, source: L260 },
  { id: "santo-stefano", name: "Santo Stefano", rule: { kind: "fixed", month: 12, day: 26 }, source: L260 },
];

export interface LocalCalendar {
  /** ISO 3166-2 code of the province whose chief town holds the offices. */
  id: string;
  city: string;
  closures: readonly HolidayRule[];
  /** Shown with the closure: a point of law that is not settled. */
  note?: string;
}

const PATRON_SOURCE = "festa del santo patrono del Comune; non proroga i termini (Cass. lav. 17079/2007)";

function patron(id: string, city: string, name: string, month: number, day: number, note?: string): LocalCalendar {
  const rule: HolidayRule = {
    id: `patrono-${id.slice(3).toLowerCase()}`,
    name,
    rule: { kind: "fixed", month, day },
    source: PATRON_SOURCE,
  };
  return note === undefined ? { id, city, closures: [rule] } : { id, city, closures: [rule], note };
}

/** Seats of the Corti d'appello, by their patron saint's day. */
export const LOCAL_CALENDARS: readonly LocalCalendar[] = [
  patron("IT-AN", "Ancona", "San Ciriaco", 5, 4),
  patron("IT-BA", "Bari", "San Nicola", 12, 6),
  patron("IT-BO", "Bologna", "San Petronio", 10, 4),
  patron("IT-BS", "Brescia", "Santi Faustino e Giovita", 2, 15),
  patron("IT-CA", "Cagliari", "San Saturnino", 10, 30),
  patron("IT-CL", "Caltanissetta", "San Michele Arcangelo", 9, 29),
  patron("IT-CB", "Campobasso", "San Giorgio", 4, 23),
  patron("IT-CT", "Catania", "Sant'Agata", 2, 5),
  patron("IT-CZ", "Catanzaro", "San Vitaliano", 7, 16),
  patron("IT-FI", "Firenze", "San Giovanni Battista", 6, 24),
  patron("IT-GE", "Genova", "San Giovanni Battista", 6, 24),
  patron("IT-AQ", "L'Aquila", "San Massimo", 6, 10),
  patron("IT-LE", "Lecce", "Sant'Oronzo", 8, 26),
  patron("IT-ME", "Messina", "Madonna della Lettera", 6, 3),
  patron("IT-MI", "Milano", "Sant'Ambrogio", 12, 7),
  patron("IT-NA", "Napoli", "San Gennaro", 9, 19),
  patron("IT-PA", "Palermo", "Santa Rosalia", 7, 15),
  patron("IT-PG", "Perugia", "San Costanzo", 1, 29),
  patron("IT-PZ", "Potenza", "San Gerardo", 5, 30),
  patron("IT-RC", "Reggio Calabria", "San Giorgio", 4, 23),
  patron(
    "IT-RM",
    "Roma",
    "Santi Pietro e Paolo",
    6,
    29,
    "per Roma è controverso se il 29 giugno proroghi i termini: prudenzialmente si considera la data non prorogata",
  ),
  patron("IT-SA", "Salerno", "San Matteo", 9, 21),
  patron("IT-TN", "Trento", "San Vigilio", 6, 26),
  patron("IT-TO", "Torino", "San Giovanni Battista", 6, 24),
  patron("IT-TS", "Trieste", "San Giusto", 11, 3),
  patron("IT-VE", "Venezia", "San Marco", 4, 25),
];
