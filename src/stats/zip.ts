/**
 * The CSV tables as one ZIP, through fflate (a kept library, not a hand-written format).
 * Each entry carries the report's snapshot time as Rome's wall clock: ZIP times have no
 * zone and unzip tools show them as local time, which for these readers is Italy's.
 */
import { zipSync } from "fflate";
import { formatRomeInstant } from "../engine/rome.js";

export function zip(files: { name: string; text: string }[], at: number): Uint8Array {
  // fflate reads the date's local fields, which in a Worker are UTC: give it Rome's wall clock as UTC.
  const mtime = new Date(Date.parse(`${formatRomeInstant(at).slice(0, 19)}Z`));
  const enc = new TextEncoder();
  return zipSync(Object.fromEntries(files.map((f) => [f.name, [enc.encode(f.text), { mtime, level: 6 }]])));
}
