/**
 * iCalendar (RFC 5545) for a user's open deadlines: a Europe/Rome
 * VTIMEZONE, one VEVENT per deadline with a stable UID so that a refreshed
 * feed replaces the event, and an alarm one day before. Pure.
 */
import { romeWhen } from "../engine/rome.js";
import { withArticle } from "../lib/italian.js";

export interface FeedDeadline {
  id: string;
  caseRef: string;
  title: string;
  office: string;
  dueAt: string; // RFC 3339 with the Rome offset
  dueDate: string | null; // day terms: an all-day event
  link: string;
}

const VTIMEZONE = [
  "BEGIN:VTIMEZONE", "TZID:Europe/Rome",
  "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST", "DTSTART:19700329T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
  "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET", "DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
  "END:VTIMEZONE",
];

const escape = (s: string) => s.replaceAll("\\", "\\\\").replaceAll(";", "\\;").replaceAll(",", "\\,").replaceAll("\n", "\\n");

/** Lines longer than 75 octets are folded (RFC 5545 §3.1). */
function fold(line: string): string {
  const bytes = new TextEncoder().encode(line);
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = "";
  let size = 0;
  for (const ch of line) {
    const n = new TextEncoder().encode(ch).length;
    if (size + n > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = "";
      size = 0;
    }
    current += ch;
    size += n;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

const utcStamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

export function calendar(deadlines: readonly FeedDeadline[], now: number): string {
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Termini//Scadenze//IT", "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:Termini — scadenze", "X-WR-TIMEZONE:Europe/Rome", ...VTIMEZONE];
  for (const d of deadlines) {
    const start = d.dueDate !== null
      ? [`DTSTART;VALUE=DATE:${d.dueDate.replaceAll("-", "")}`]
      : [`DTSTART;TZID=Europe/Rome:${d.dueAt.slice(0, 19).replace(/[-:]/g, "")}`, "DURATION:PT15M"];
    lines.push(
      "BEGIN:VEVENT", `UID:${d.id}@termini`, `DTSTAMP:${utcStamp(now)}`, ...start,
      `SUMMARY:${escape(`Scadenza: ${d.title} — proc. ${d.caseRef}`)}`,
      // Italian for a person: the date as offices write it, who must act, where to act.
      `DESCRIPTION:${escape(`Procedimento ${d.caseRef}: scade il ${romeWhen(Date.parse(d.dueAt))}. Tocca ${withArticle("a", d.office)}.\nApri in Termini (accesso riservato): ${d.link}`)}`,
      `URL:${d.link}`,
      "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-P1D", `DESCRIPTION:${escape(`Domani scade: ${d.title} — proc. ${d.caseRef}`)}`, "END:VALARM",
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return lines.map(fold).join("\r\n") + "\r\n";
}
