/**
 * Where the draft of the report an obligation files can be read: reminders
 * link to it. The obligation's readable reference names the period it is
 * for (obligationRef: DATI-362BIS-T4-2026, RELAZIONE-REGIONALE-2025).
 */
import type { ReportKind } from "./report.js";

export function draftPath(report: ReportKind, caseRef: string, office: { id: string; region: string; jurisdiction: string }): string | undefined {
  const m = /(?:-([TS])([1-4]))?-(\d{4})$/.exec(caseRef);
  if (m === null) return undefined;
  const [, part, index, year] = m;
  switch (report) {
    case "regional": return part === undefined ? `/api/v1/reports/regional/${year}?region=${encodeURIComponent(office.region)}` : undefined;
    case "national": return part === undefined ? `/api/v1/reports/national/${year}` : undefined;
    case "compliance-quarterly": return part === "T" ? `/api/v1/reports/compliance-quarterly/${year}-Q${index}?office=${office.id}` : undefined;
    case "compliance-half-yearly": return part === "S" ? `/api/v1/reports/compliance-half-yearly/${year}-H${index}?district=${office.jurisdiction}` : undefined;
  }
}
