/**
 * /openapi.json (OpenAPI 3.1), built from the routes' own contracts (see
 * src/http/contract.ts) and the same Zod schemas the handlers validate
 * with: inbound events as a union tied by `type` to the schema of their
 * `data`, outbound events under `webhooks`, every problem code a route may
 * answer under its status.
 */
import * as z from "zod";
import { eventDataSchemas } from "../domain/schemas.js";
import type { Contract } from "../http/contract.js";
import { PROBLEMS, type ProblemCode } from "../http/problem.js";
import { KIND_LABELS, OUTBOUND_DATA, OUTBOUND_KINDS } from "../outbound/events.js";
import { CONTRACTS } from "./contracts.js";

type Json = Record<string, unknown>;

const schema = (s: z.ZodType): Json => {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { io: "input", unrepresentable: "any" }) as Json;
  return rest;
};

/** A component name OpenAPI accepts (letters, digits, dot, dash, underscore). */
export const componentName = (prefix: string, type: string) => `${prefix}.${type.replace(/[^A-Za-z0-9._-]/g, "_")}`;

function parameters(c: Contract): Json[] {
  const of = (where: "path" | "query", o: z.ZodObject | undefined) =>
    Object.entries(o?.shape ?? {}).map(([name, s]) => {
      const field = s as z.ZodType;
      const json = schema(field);
      return { name, in: where, required: where === "path" || !field.safeParse(undefined).success, ...(json.description ? { description: json.description } : {}), schema: json };
    });
  return [
    ...of("path", c.params), ...of("query", c.query),
    ...(c.headers ?? []).map((h) => ({ name: h.name, in: "header", required: h.required, description: h.description, schema: { type: "string" } })),
  ];
}

/** The problem codes a route may answer, one response per status, each code named. */
function problemResponses(codes: readonly ProblemCode[]): Record<string, Json> {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of codes) byStatus.set(PROBLEMS[code].status, [...(byStatus.get(PROBLEMS[code].status) ?? []), code]);
  return Object.fromEntries([...byStatus].map(([status, list]) => [String(status), {
    description: list.map((code) => `${code}: ${PROBLEMS[code].title}`).join("; "),
    content: { "application/problem+json": { schema: { allOf: [{ $ref: "#/components/schemas/Problem" }, { properties: { code: { enum: list } } }] } } },
  }]));
}

function operation(c: Contract): Json {
  const responses: Record<string, Json> = {};
  for (const [status, r] of Object.entries(c.responses)) {
    responses[status] = { description: r.description, content: { [r.content ?? "application/json"]: { schema: r.schema === undefined ? { type: "object" } : schema(r.schema) } } };
  }
  Object.assign(responses, problemResponses(c.problems));
  const security = c.security === undefined ? undefined : [{ [c.security]: [] }];
  const params = parameters(c);
  const body = c.body === undefined ? undefined : { required: true, content: { "application/json": { schema: bodySchema(c) } } };
  return { summary: c.summary, tags: [c.tag], ...(security ? { security } : {}), ...(params.length ? { parameters: params } : {}), ...(body ? { requestBody: body } : {}), responses };
}

/** Event bodies point at the union of event types; any other body is its own schema. */
function bodySchema(c: Contract): Json {
  if (c.path === "/webhooks/events") return { $ref: "#/components/schemas/WebhookEvent" };
  if (c.path === "/api/v1/cases/{ref}/events") return { $ref: "#/components/schemas/CaseEvent" };
  return schema(c.body!);
}

/** One schema per event type, `type` fixed and `data` that type's own; the union discriminated by `type`. */
function eventUnion(name: string, withCase: boolean): Record<string, Json> {
  const types = Object.keys(eventDataSchemas());
  const variants = Object.fromEntries(types.map((t) => [componentName(name, t), {
    type: "object", additionalProperties: false, required: ["type", "occurredAt", ...(withCase ? ["caseRef"] : [])],
    properties: {
      type: { const: t },
      occurredAt: { type: "string", format: "date-time", description: "Quando l'atto è avvenuto (RFC 3339 con offset)" },
      data: { $ref: `#/components/schemas/${componentName("EventData", t)}` },
      ...(withCase ? { caseRef: { type: "string", description: "Riferimento del procedimento" }, caseOffice: { type: "string", description: "Ufficio titolare del riferimento, se ambiguo" } } : {}),
    },
  }]));
  return {
    ...variants,
    [name]: {
      oneOf: types.map((t) => ({ $ref: `#/components/schemas/${componentName(name, t)}` })),
      discriminator: { propertyName: "type", mapping: Object.fromEntries(types.map((t) => [t, `#/components/schemas/${componentName(name, t)}`])) },
    },
  };
}

/** Outbound events, as the receiver gets them (Standard Webhooks headers, JSON body). */
function webhooks(): Json {
  const headers = ["webhook-id", "webhook-timestamp", "webhook-signature"].map((name) => ({ name, in: "header", required: true, schema: { type: "string" } }));
  return Object.fromEntries(OUTBOUND_KINDS.map((kind) => [kind, {
    post: {
      summary: KIND_LABELS[kind], parameters: headers,
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object", required: ["type", "timestamp", "data"],
              properties: { type: { const: kind }, timestamp: { type: "string", format: "date-time" }, data: schema(OUTBOUND_DATA[kind]) },
            },
          },
        },
      },
      responses: { "200": { description: "Ricevuto (qualunque 2xx); altrimenti Termini riprova con lo stesso webhook-id" } },
    },
  }]));
}

export function openApiDocument() {
  const paths: Record<string, Json> = {};
  for (const c of CONTRACTS) paths[c.path] = { ...paths[c.path], [c.method]: operation(c) };
  return {
    openapi: "3.1.0",
    info: {
      title: "Termini API",
      version: "1",
      description: "Scadenze di legge nei procedimenti per violenza di genere e domestica. Nessun dato personale: i procedimenti sono identificati da riferimenti pseudonimi.",
    },
    tags: [...new Set(CONTRACTS.map((c) => c.tag))].map((name) => ({ name })),
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "Credenziale d'ufficio" },
        webhook: { type: "apiKey", in: "header", name: "webhook-signature", description: "Firma Standard Webhooks con il segreto del mittente (con webhook-id e webhook-timestamp)" },
        qstash: { type: "apiKey", in: "header", name: "Upstash-Signature", description: "JWT firmato da QStash (chiave corrente o successiva)" },
      },
      schemas: {
        Problem: {
          type: "object",
          required: ["type", "title", "status", "code", "requestId"],
          properties: {
            type: { type: "string" }, title: { type: "string" }, status: { type: "integer" }, code: { type: "string", enum: Object.keys(PROBLEMS) },
            detail: { type: "string" }, parameter: { type: "string" }, instance: { type: "string" }, requestId: { type: "string" },
          },
        },
        ...eventUnion("WebhookEvent", true),
        ...eventUnion("CaseEvent", false),
        ...Object.fromEntries(Object.entries(eventDataSchemas()).map(([type, s]) => [componentName("EventData", type), schema(s)])),
      },
    },
    paths,
    webhooks: webhooks(),
  };
}
