/**
 * Samples of every outbound event type, for a subscriber to try its
 * receiver: the real envelope and data shape (held to OUTBOUND_DATA by
 * test/outbound/subscriber.test.ts), about a fictional case of the
 * subscriber's own office on the art. 362-bis timeline, marked
 * `sample: true` and with an id of their own so that no receiver mistakes
 * one for a real event. Pure: `at` is passed in.
 */
import { formatRomeInstant } from "../engine/rome.js";
import { webCasePath } from "../lib/case-link.js";
import { getTimeline } from "../timelines/catalog.js";
import { describeConsequence } from "../timelines/consequence.js";
import { type OutboundData, type OutboundEvent, type OutboundKind, PAYLOAD_VERSION } from "./events.js";

const DAY = 86_400_000;

function sampleData(kind: OutboundKind, office: string, appBaseUrl: string, at: number): OutboundData<OutboundKind> {
  const ref = "1234/2026";
  const link = appBaseUrl + webCasePath(ref, office);
  const def = getTimeline("362-bis")!;
  const stage = def.stages[0]!;
  const instance = "tl_esempio";
  const due = formatRomeInstant(at + 30 * DAY);
  const deadline = {
    id: `${instance}.${stage.id}`, stage: stage.id, office, dueAt: due, dueDate: due.slice(0, 10), status: "open" as const,
    date: stage.date, consequence: describeConsequence(stage.consequence),
  };
  const base = { case: { ref, office }, timeline: { id: def.id, version: def.version, instance }, deadline, link };
  const report = { kind: "regional", period: "2025", scope: "Piemonte", version: 1, checksum: "sha256-".padEnd(51, "0") };
  switch (kind) {
    case "deadline.opened": return base;
    case "deadline.reminder": return { ...base, reminder: { rung: "7d", office } };
    case "deadline.escalated": return { ...base, deadline: { ...deadline, status: "open" }, escalation: { rung: "1d+", office } };
    case "deadline.closed": return { ...base, deadline: { ...deadline, status: "met" }, outcome: "misure richieste" };
    case "deadline.changed": return { ...base, previousDueAt: formatRomeInstant(at + 29 * DAY) };
    case "timeline.ended": return { case: { ref, office }, timeline: { id: def.id, version: def.version, instance, status: "closed" }, link };
    case "report.published": return { report, link: `${appBaseUrl}/api/v1/reports/regional/2025?version=1&region=Piemonte` };
    case "report.withdrawn": return { report, withdrawnAt: new Date(at).toISOString() };
  }
}

/** A sample of `kind`, sent to one subscription: a fresh id each time, sequence 0 (it counts nothing). */
export function sampleEvent(kind: OutboundKind, office: string, appBaseUrl: string, at: number): OutboundEvent {
  const id = `msg_sample_${crypto.randomUUID().replaceAll("-", "")}`;
  return {
    id, kind,
    body: JSON.stringify({ id, type: kind, version: PAYLOAD_VERSION, timestamp: formatRomeInstant(at), sequence: 0, sample: true, data: sampleData(kind, office, appBaseUrl, at) }),
  };
}
