/**
 * A route's contract, declared beside its handler: method and path, the
 * schemas of its path, query, headers and body (the same Zod schemas the
 * handler validates with), its responses and the problem codes it may
 * answer. /openapi.json is built from these, and a test fails when a route
 * the app serves has none: the document cannot drift from the code.
 */
import type * as z from "zod";
import type { ProblemCode } from "./problem.js";

export interface Contract {
  method: "get" | "post" | "patch" | "put" | "delete";
  /** OpenAPI form: /api/v1/cases/{ref} */
  path: string;
  summary: string;
  tag: string;
  /** The operation's name in generated clients (camelCase, unique). */
  operationId: string;
  /** bearer: a staff credential; webhook: Standard Webhooks signature; qstash: Upstash-Signature. */
  security?: "bearer" | "webhook" | "qstash";
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: { name: string; required: boolean; description: string }[];
  body?: z.ZodType;
  responses: Record<number, ContractResponse>;
  problems: readonly ProblemCode[];
}

/**
 * One answer: JSON described by `schema`, or `media` (each media type its schema; "binary" a file,
 * "text" plain text); `headers`: the response headers it carries (names from RESPONSE_HEADERS).
 */
export interface ContractResponse {
  description: string;
  schema?: z.ZodType;
  media?: Record<string, z.ZodType | "binary" | "text">;
  headers?: readonly ResponseHeader[];
}

/** The response headers a route may document, with their meaning (X-Request-Id is on every answer). */
export const RESPONSE_HEADERS = {
  "X-Request-Id": { description: "Identificativo della richiesta, da citare in una segnalazione (anche nel campo requestId dei problemi)", schema: { type: "string" } },
  "Webhook-Replayed": { description: "true: la stessa richiesta (stesso webhook-id) era già stata ricevuta; questa è la prima risposta, ripetuta", schema: { type: "string", enum: ["true"] } },
  "X-Report-Version": { description: "Versione della relazione", schema: { type: "integer", minimum: 1 } },
  "X-Report-Checksum": { description: "Impronta SHA-256 del contenuto della versione, sha256:…", schema: { type: "string", pattern: "^sha256:[0-9a-f]{64}$" } },
  "X-Report-Snapshot": { description: "Istante dei dati della versione (RFC 3339)", schema: { type: "string", format: "date-time" } },
  "Content-Disposition": { description: "attachment, con il nome del file", schema: { type: "string" } },
  Location: { description: "Indirizzo della risorsa creata", schema: { type: "string" } },
  "Retry-After": { description: "Secondi dopo cui riprovare", schema: { type: "integer" } },
  "X-Checksum": { description: "SHA-256 del file, sha256:<esadecimale>", schema: { type: "string", pattern: "^sha256:[0-9a-f]{64}$" } },
  "Repr-Digest": { description: "SHA-256 del file (RFC 9530), sha-256=:…:", schema: { type: "string" } },
} as const;
export type ResponseHeader = keyof typeof RESPONSE_HEADERS;

export const contract = <C extends Contract>(c: C): C => c;

/** What any route reading a JSON body may answer. */
export const BODY_PROBLEMS = ["malformed_json", "unsupported_media_type", "payload_too_large", "invalid_body"] as const satisfies readonly ProblemCode[];
/** What any route reading a query may answer. */
export const QUERY_PROBLEMS = ["missing_parameter", "invalid_parameter", "unknown_parameter", "duplicate_parameter"] as const satisfies readonly ProblemCode[];
/** What a route behind a credential may answer. */
export const AUTH_PROBLEMS = ["unauthorized", "forbidden"] as const satisfies readonly ProblemCode[];
