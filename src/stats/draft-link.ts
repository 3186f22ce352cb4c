/**
 * Where the draft of the report an obligation files can be read: reminders
 * link to it. The obligation's case reference ends with its nominal due date.
 */
import type { ReportKind } from "./report.js";

export function draftPath(report: ReportKind, caseRef: string, office: { id: string; region: string; jurisdiction: string }, quarters: readonly string[]): string | undefined {
  const m = /(\d{4})-(\d{2}-\d{2})$/.exec(caseRef);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const quarter = quarters.indexOf(m[2]!) + 1;
  switch (report) {
    case "regional": return `/api/v1/reports/regional/${year - 1}?region=${encodeURIComponent(office.region)}`;
    case "national": return `/api/v1/reports/national/${year - 1}`;
    case "compliance-quarterly": return quarter === 0 ? undefined : `/api/v1/reports/compliance-quarterly/${year}-Q${quarter}?office=${office.id}`;
    case "compliance-half-yearly": return quarter === 0 ? undefined : `/api/v1/reports/compliance-half-yearly/${year}-H${Math.ceil(quarter / 2)}?district=${office.jurisdiction}`;
  }
}
