/**
 * The audit log exported for the Garante (art. 21 co. 4 D.Lgs. 51/2018) or for an internal check:
 * the entries a filter selects, as CSV (Italian Excel) or JSON, each entry with its sentence, its
 * reason and the raw record; the file's SHA-256 goes in the answer's headers and into the log's own
 * "audit.exported" entry, so a copy handed on can be checked against the log that cannot change.
 */
import type { LogFilter, LogNames, LogRow } from "../db/audit-read.js";
import { formatRomeInstant } from "../engine/rome.js";
import { csvCell } from "../stats/csv.js";
import { auditSentence } from "./audit-sentence.js";

export type ExportFormat = "csv" | "json";

export interface ExportMeta {
  filter: LogFilter;
  purpose: string;
  generatedAt: number;
  generatedBy: string;
  administration: string;
  /** Whether more entries matched than the file holds. */
  truncated: boolean;
}

const COLUMNS = ["Quando", "Chi", "Identificativo di chi", "Azione", "Che cosa", "Motivo", "Procedimento", "Identificativo del procedimento", "Richiesta", "Dati registrati"];

export function logExport(rows: readonly LogRow[], names: LogNames, format: ExportFormat, meta: ExportMeta): { body: string; type: string; filename: string } {
  const stamp = formatRomeInstant(meta.generatedAt).slice(0, 16).replace(/[-:T]/g, "");
  const filename = `registro-accessi-${stamp}.${format}`;
  const entries = rows.map(({ a, ref }) => ({
    at: formatRomeInstant(a.at), actor: a.actor, actorName: names.actor(a.actor), action: a.action, sentence: auditSentence(a, names),
    reason: a.reason, caseRef: ref, caseId: a.caseId, requestId: a.requestId, detail: a.detail,
  }));
  if (format === "json") {
    const head = {
      administration: meta.administration, purpose: meta.purpose, generatedAt: formatRomeInstant(meta.generatedAt), generatedBy: meta.generatedBy,
      filter: { ...meta.filter, from: meta.filter.from === undefined ? undefined : formatRomeInstant(meta.filter.from), to: meta.filter.to === undefined ? undefined : formatRomeInstant(meta.filter.to) },
      entries: entries.length, truncated: meta.truncated,
    };
    return { body: JSON.stringify({ export: head, entries }, null, 1), type: "application/json; charset=utf-8", filename };
  }
  const lines = [
    [`Registro degli accessi e delle comunicazioni — ${meta.administration}`],
    [`Finalità dell'estrazione: ${meta.purpose}; estratto il ${formatRomeInstant(meta.generatedAt)} da ${meta.generatedBy}; ${entries.length} voci${meta.truncated ? " (le più recenti: altre voci corrispondono ai filtri)" : ""}`],
    COLUMNS,
    ...entries.map((e) => [e.at, e.actorName, e.actor, e.action, e.sentence, e.reason ?? "", e.caseRef ?? "", e.caseId ?? "", e.requestId ?? "", JSON.stringify(e.detail)]),
  ];
  return { body: `\uFEFF${lines.map((l) => l.map(csvCell).join(";")).join("\r\n")}\r\n`, type: "text/csv; charset=utf-8", filename };
}

/** The file's SHA-256, hex, and as RFC 9530's Repr-Digest value. */
export async function checksumOf(body: string): Promise<{ hex: string; reprDigest: string }> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body)));
  return { hex: [...d].map((b) => b.toString(16).padStart(2, "0")).join(""), reprDigest: `sha-256=:${btoa(String.fromCharCode(...d))}:` };
}
