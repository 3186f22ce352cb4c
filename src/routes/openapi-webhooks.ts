/**
 * The outbound events in /openapi.json: one named schema per event type
 * (DeadlineOpenedEvent, …, WebhookTestEvent), the envelope every payload
 * shares, and the `webhooks` section as the receiver gets them — the
 * Standard Webhooks signature headers and Termini's routing headers.
 */
import * as z from "zod";
import { KIND_LABELS, OUTBOUND_DATA, OUTBOUND_KINDS, PAYLOAD_VERSION, TEST_KIND } from "../outbound/events.js";
import { schema } from "./json-schema.js";

type Json = Record<string, unknown>;

const KINDS = [...OUTBOUND_KINDS, TEST_KIND] as const;

/** deadline.opened → DeadlineOpenedEvent. */
const payloadName = (kind: string) => `${kind.split(/[.-]/).map((w) => w[0]!.toUpperCase() + w.slice(1)).join("")}Event`;

const TestData = z.object({ subscription: z.string().describe("L'abbonamento provato"), office: z.string().describe("Il suo ufficio") });

function envelope(kind: string, data: Json): Json {
  return {
    type: "object", required: ["id", "type", "version", "timestamp", "sequence", "data"],
    properties: {
      id: { type: "string", description: "Identificativo dell'evento: uguale all'intestazione webhook-id, lo stesso a ogni tentativo e reinvio", examples: ["msg_3f2a9c0b1d4e5f60718293a4b5c6d7e8"] },
      type: { const: kind },
      version: { const: PAYLOAD_VERSION, description: "Versione del formato del payload (vedi /docs#versioni)" },
      timestamp: { type: "string", format: "date-time", description: "Quando l'evento è accaduto in Termini (RFC 3339, offset di Roma)", examples: ["2026-10-31T10:15:00+01:00"] },
      sequence: {
        type: "integer", minimum: 0,
        description: "Cresce a ogni evento dello stesso procedimento (o della stessa relazione): un evento con un numero minore di uno già ricevuto è superato. 0 per prove ed esempi",
        examples: [7],
      },
      sample: { type: "boolean", const: true, description: "Presente solo negli esempi inviati a richiesta: dati fittizi" },
      data,
    },
  };
}

export function webhookComponents(): Record<string, Json> {
  return Object.fromEntries(KINDS.map((k) => [payloadName(k), envelope(k, schema(k === TEST_KIND ? TestData : OUTBOUND_DATA[k]))]));
}

const HEADERS: [string, string, string][] = [
  ["webhook-id", "L'identificativo dell'evento (come id nel corpo)", "msg_3f2a9c0b1d4e5f60718293a4b5c6d7e8"],
  ["webhook-timestamp", "Secondi dall'epoca Unix del tentativo: rifiutare se lontano più di 5 minuti", "1793437200"],
  ["webhook-signature", "v1,<firma> per ogni segreto valido, separate da spazi (due durante una rotazione)", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="],
  ["termini-event-type", "Il tipo dell'evento (come type nel corpo), per instradarlo senza leggere il corpo", "deadline.opened"],
  ["termini-delivery", "La consegna: l'evento per questo abbonamento (come nelle consegne dell'API)", "msg_3f2a9c0b1d4e5f60718293a4b5c6d7e8.sub_91c2"],
  ["termini-delivery-attempt", "Il numero del tentativo, da 1", "1"],
];

/** Outbound events, as the receiver gets them (Standard Webhooks headers, JSON body). */
export function webhooks(): Json {
  const parameters = HEADERS.map(([name, description, example]) => ({ name, in: "header", required: true, description, schema: { type: "string" }, example }));
  return Object.fromEntries(KINDS.map((kind) => [kind, {
    post: {
      operationId: `on${payloadName(kind)}`,
      summary: kind === TEST_KIND ? "Evento di prova, inviato a richiesta dalla pagina dell'abbonamento o dall'API" : KIND_LABELS[kind],
      // Termini signs; the receiver holds no credential of Termini's.
      security: [],
      parameters,
      requestBody: { required: true, content: { "application/json": { schema: { $ref: `#/components/schemas/${payloadName(kind)}` } } } },
      responses: {
        "200": { description: "Ricevuto (qualunque 2xx); altrimenti Termini riprova con lo stesso webhook-id" },
        "400": { description: "Rifiutato (firma non valida, corpo illeggibile): Termini riprova, poi lo mette tra gli eventi non consegnati" },
      },
    },
  }]));
}
