/**
 * One register number, one case: the canonical spelling of a case
 * reference, applied wherever a reference comes in (webhook, staff API, web
 * pages, the move) before anything looks it up or writes it, and checked
 * again where a case is first written.
 *
 * A reference of the form number/year is a register number (RGNR, and any
 * office format of that shape): the same number however it is typed.
 * Canonical: the number without leading zeros, one slash, the year in four
 * digits. Accepted: leading zeros ("0977966/2026"), spaces around the
 * slash or at either end ("977966 / 2026"). Refused as ambiguous: a year
 * in two digits ("977966/26": 1926 or 2026?) or any year but 1900–2099, a
 * number that is all zeros. Every other shape is an office's own format
 * (ref_pattern), taken exactly as typed, spaces at either end aside.
 */

/** Number, slash, year; nothing else (spaces around the parts aside). */
const REGISTER_SHAPE = /^\s*(\d+)\s*\/\s*(\d+)\s*$/;
const YEAR = /^(19|20)\d{2}$/;

export type ReferenceReading = { ok: true; ref: string } | { ok: false; reason: string };

export function readReference(raw: string): ReferenceReading {
  const m = REGISTER_SHAPE.exec(raw);
  if (m === null) return { ok: true, ref: raw.trim() };
  const number = m[1]!.replace(/^0+/, "");
  const year = m[2]!;
  if (number === "") return { ok: false, reason: "il numero di registro non può essere zero" };
  if (year.length === 2) {
    return { ok: false, reason: `l'anno «${year}» è ambiguo: va scritto per intero (es. ${number}/20${year} oppure ${number}/19${year})` };
  }
  if (!YEAR.test(year)) return { ok: false, reason: `anno «${year}» non valido: quattro cifre, es. ${number}/2026` };
  return { ok: true, ref: `${number}/${year}` };
}

/** The canonical spelling, or the input itself when it cannot be read (its refusal is readReference's). */
export function canonicalReference(raw: string): string {
  const r = readReference(raw);
  return r.ok ? r.ref : raw;
}
