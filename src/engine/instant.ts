/**
 * Strict RFC 3339 date-time parsing. An instant without an offset is
 * ambiguous (which day it is in Rome depends on it), so it is refused.
 */
import { MS_PER_DAY, MS_PER_HOUR, daysFromCivil, daysInMonth } from "./civil.js";

export type InstantFailure =
  | { reason: "malformed" }
  | { reason: "missing-offset" }
  | { reason: "invalid-field"; field: "month" | "day" | "hour" | "minute" | "second" | "offset" };

export type ParsedInstant = { ok: true; ms: number } | ({ ok: false } & InstantFailure);

// A space before the offset is a "+" that URL form decoding turned into a
// space (`from=…T10:00:00+01:00` typed unencoded): it can mean nothing else.
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+\- ]\d{2}:\d{2})?$/;

export function parseInstant(text: string): ParsedInstant {
  const m = RFC3339.exec(text);
  if (m === null) return { ok: false, reason: "malformed" };
  const [, ys, mos, ds, hs, mis, ss, frac, zone] = m;
  if (zone === undefined) return { ok: false, reason: "missing-offset" };
  const y = +ys!, mo = +mos!, d = +ds!, h = +hs!, mi = +mis!, s = +ss!;
  if (mo < 1 || mo > 12) return { ok: false, reason: "invalid-field", field: "month" };
  if (d < 1 || d > daysInMonth(y, mo)) return { ok: false, reason: "invalid-field", field: "day" };
  if (h > 23) return { ok: false, reason: "invalid-field", field: "hour" };
  if (mi > 59) return { ok: false, reason: "invalid-field", field: "minute" };
  // Leap seconds (60) cannot be represented on the POSIX time line.
  if (s > 59) return { ok: false, reason: "invalid-field", field: "second" };
  let offsetMin = 0;
  if (zone !== "Z" && zone !== "z") {
    const oh = +zone.slice(1, 3);
    const om = +zone.slice(4, 6);
    if (oh > 23 || om > 59) return { ok: false, reason: "invalid-field", field: "offset" };
    offsetMin = (zone[0] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const ms =
    daysFromCivil(y, mo, d) * MS_PER_DAY + h * MS_PER_HOUR + mi * 60_000 + s * 1000 +
    (frac === undefined ? 0 : +(frac + "00").slice(0, 3)) - offsetMin * 60_000;
  return { ok: true, ms };
}
