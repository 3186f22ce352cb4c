/**
 * Case references in each office's own format. A reference is what staff
 * type; checked against the owner office's pattern, a name typed into it
 * never reaches a subject line, a calendar or a log.
 */
import type { Office } from "../../db/directory.js";
import { DomainFailure } from "../failure.js";

/** The RGNR form: up to seven digits, a slash and the year (e.g. 1234/2026). */
const RGNR_PATTERN = String.raw`\d{1,7}/\d{4}`;

const compiled = new Map<string, RegExp | null>();

function pattern(source: string): RegExp | null {
  if (!compiled.has(source)) {
    let re: RegExp | null = null;
    try {
      re = new RegExp(`^(?:${source})$`);
    } catch {
      // A broken pattern in the directory refuses every reference rather than accepting any.
    }
    compiled.set(source, re);
  }
  return compiled.get(source)!;
}

function matchesOfficeFormat(office: Pick<Office, "refPattern">, ref: string): boolean {
  return pattern(office.refPattern ?? RGNR_PATTERN)?.test(ref) ?? false;
}

/** The reference is not echoed back: it may be exactly what must not be stored. */
export function requireOfficeFormat(office: Pick<Office, "refPattern" | "name">, ref: string, parameter: string): void {
  if (matchesOfficeFormat(office, ref)) return;
  const form = office.refPattern === null ? "numero/anno, es. 1234/2026" : "formato configurato in rubrica";
  throw new DomainFailure("invalid_body", `${parameter}: il riferimento non è nel formato dei procedimenti di ${office.name} (${form})`, { parameter });
}
