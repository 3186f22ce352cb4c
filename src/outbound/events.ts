/**
 * The events Termini sends to subscribed endpoints: their kinds, the schema
 * of each body, and the id that names one intended event. Pure: bodies are
 * built from facts passed in, `now` included.
 *
 * A body carries no personal data, as emails do not: the case's opaque
 * reference and owner office, the timeline, the stage, offices by id, the
 * due instant with the Rome offset, the status, and a link to the case page
 * (which asks the reader to sign in).
 */
import { DEADLINE_STATUSES } from "../db/schema.js";
import * as z from "zod";
import { ConsequenceSchema, DATE_KINDS } from "../timelines/consequence.js";
import { formatRomeInstant } from "../engine/rome.js";

export const OUTBOUND_KINDS = [
  "deadline.opened", "deadline.reminder", "deadline.escalated", "deadline.closed", "deadline.changed", "timeline.ended", "report.published",
  "report.withdrawn",
] as const;
export type OutboundKind = (typeof OUTBOUND_KINDS)[number];
/** Sent only on request, from the subscription's page: never subscribed to. */
export const TEST_KIND = "webhook.test";

/** What each kind means, for the reference and the admin pages (Italian: staff read it). */
export const KIND_LABELS: Record<OutboundKind, string> = {
  "deadline.opened": "Si apre una scadenza",
  "deadline.reminder": "Promemoria prima della scadenza",
  "deadline.escalated": "Segnalazione di una scadenza superata all'ufficio o al superiore",
  "deadline.closed": "Una scadenza si chiude (rispettata, tardiva o ritirata)",
  "deadline.changed": "Una rettifica o un annullamento sposta o riapre una scadenza",
  "timeline.ended": "Uno scadenzario termina (chiuso o ritirato)",
  "report.published": "Una relazione viene trasmessa",
  "report.withdrawn": "Una trasmissione fatta per errore viene ritirata (a chi ne aveva ricevuto l'avviso)",
};

const Instant = z.string().describe("Istante RFC 3339 con l'offset di Roma, es. 2026-10-31T23:59:59+01:00");
const CaseRefs = z.object({
  ref: z.string().describe("Riferimento pseudonimo del procedimento"),
  office: z.string().describe("Ufficio titolare del riferimento"),
});
const Timeline = z.object({ id: z.string(), version: z.number().int(), instance: z.string() });
const DeadlineFacts = z.object({
  id: z.string(),
  stage: z.string(),
  office: z.string().describe("Ufficio tenuto alla scadenza"),
  dueAt: Instant,
  dueDate: z.string().nullable().describe("Giorno di scadenza AAAA-MM-GG, per i termini a giorni"),
  status: z.enum(DEADLINE_STATUSES),
  date: z.enum(DATE_KINDS).optional().describe("Che cos'è la data (termine, fine del periodo, durata minima, data minima)"),
  consequence: ConsequenceSchema.optional().describe("Che cosa comporta la scadenza senza l'atto, secondo la legge"),
});
const Link = z.url().describe("Pagina del procedimento in Termini (richiede l'accesso)");

const ReportFacts = z.object({ kind: z.string(), period: z.string(), scope: z.string(), version: z.number().int(), checksum: z.string() });
const deadlineData = <S extends z.ZodRawShape>(extra: S) => z.object({ case: CaseRefs, timeline: Timeline, deadline: DeadlineFacts, link: Link, ...extra });
const Message = z.object({ rung: z.string().describe("Gradino del piano di avvisi, es. 7d o 1d+"), office: z.string().describe("Ufficio destinatario") });

export const OUTBOUND_DATA = {
  "deadline.opened": deadlineData({}),
  "deadline.reminder": deadlineData({ reminder: Message }),
  "deadline.escalated": deadlineData({ escalation: Message }),
  "deadline.closed": deadlineData({ outcome: z.string().nullable() }),
  "deadline.changed": deadlineData({ previousDueAt: Instant.nullable() }),
  "timeline.ended": z.object({ case: CaseRefs, timeline: Timeline.extend({ status: z.enum(["closed", "withdrawn"]) }), link: Link }),
  "report.published": z.object({ report: ReportFacts, link: Link }),
  "report.withdrawn": z.object({
    report: ReportFacts,
    withdrawnAt: z.string().describe("Istante del ritiro (RFC 3339): la versione non risulta più trasmessa e l'obbligo si riapre"),
  }),
} satisfies Record<OutboundKind, z.ZodType>;

export type OutboundData<K extends OutboundKind> = z.infer<(typeof OUTBOUND_DATA)[K]>;

/**
 * The payload format's version, in every body as `version`. Adding a field or an event type keeps it;
 * removing or renaming a field, or changing a field's meaning or type, makes a new one (docs: "Versioni").
 */
export const PAYLOAD_VERSION = 1;

export interface OutboundEvent {
  /** The webhook-id: the same for every attempt, every endpoint and every replay of this event. */
  id: string;
  kind: OutboundKind | typeof TEST_KIND;
  /** The JSON body, exactly as signed and sent (its `sequence` set as it is stored: see eventInsert). */
  body: string;
}

/** The envelope of every payload: the event's id, type, format version, time and sequence, then its data. */
function envelope(id: string, type: string, at: number, data: unknown): string {
  return JSON.stringify({ id, type, version: PAYLOAD_VERSION, timestamp: formatRomeInstant(at), sequence: 0, data });
}

/** msg_ and 32 hex digits of SHA-256 over what makes the event unique (e.g. kind and deadline). */
export async function eventId(key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
  return `msg_${[...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * One event. `key` names the intended event (e.g. the deadline and the
 * event that closed it): the same fact always gets the same id.
 */
export async function outboundEvent<K extends OutboundKind>(kind: K, key: string, data: OutboundData<K>, at: number): Promise<OutboundEvent> {
  const id = await eventId(`${kind}:${key}`);
  return { id, kind, body: envelope(id, kind, at, data) };
}

/** The test event an administrator sends to check an endpoint: a fresh id each time. */
export function testEvent(subscriptionId: string, officeId: string, at: number): OutboundEvent {
  const id = `msg_test_${crypto.randomUUID().replaceAll("-", "")}`;
  return { id, kind: TEST_KIND, body: envelope(id, TEST_KIND, at, { subscription: subscriptionId, office: officeId }) };
}
