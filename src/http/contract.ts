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
  operationId?: string;
  /** bearer: a staff credential; webhook: Standard Webhooks signature; qstash: Upstash-Signature. */
  security?: "bearer" | "webhook" | "qstash";
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: { name: string; required: boolean; description: string }[];
  body?: z.ZodType;
  responses: Record<number, { description: string; schema?: z.ZodType; content?: string }>;
  problems: readonly ProblemCode[];
}

export const contract = <C extends Contract>(c: C): C => c;

/** What any route reading a JSON body may answer. */
export const BODY_PROBLEMS = ["malformed_json", "unsupported_media_type", "payload_too_large", "invalid_body"] as const satisfies readonly ProblemCode[];
/** What any route reading a query may answer. */
export const QUERY_PROBLEMS = ["missing_parameter", "invalid_parameter", "unknown_parameter", "duplicate_parameter"] as const satisfies readonly ProblemCode[];
/** What a route behind a credential may answer. */
export const AUTH_PROBLEMS = ["unauthorized", "forbidden"] as const satisfies readonly ProblemCode[];
