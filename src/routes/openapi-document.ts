/**
 * /openapi.json (OpenAPI 3.1), built from the routes' own contracts (see
 * src/http/contract.ts) and the same Zod schemas the handlers validate
 * with: inbound events as a union tied by `type` to the schema of their
 * `data`, outbound events under `webhooks` (each payload a named schema),
 * every problem code a route may answer under its status, the response
 * headers each answer carries. Held to Redocly's recommended rules and to
 * Prism's validating proxy by the tests (test/oracle/openapi-lint.test.ts,
 * test/fault/contract-story.test.ts).
 */
import * as z from "zod";
import { eventDataSchemas } from "../domain/events/schemas.js";
import { type Contract, type ContractResponse, RESPONSE_HEADERS, type ResponseHeader } from "../http/contract.js";
import { PROBLEMS, type ProblemCode } from "../http/problem.js";
import { REASON_HEADER } from "../http/reason.js";
import { CONTRACTS } from "./contracts.js";
import { webhookComponents, webhooks } from "./openapi-webhooks.js";
import { schema } from "./json-schema.js";

type Json = Record<string, unknown>;

/** A component name OpenAPI accepts (letters, digits, dot, dash, underscore). */
const componentName = (prefix: string, type: string) => `${prefix}.${type.replace(/[^A-Za-z0-9._-]/g, "_")}`;

/** What every operation may answer whatever it does: a deployment not configured, a query parameter it does not know. */
const EVERY_OPERATION: readonly ProblemCode[] = ["service_misconfigured", "unknown_parameter"];

const TAG_DESCRIPTIONS: Record<string, string> = {
  Termini: "Il calcolo dei termini di legge e i calendari che usa: pubblico, senza credenziali",
  Scadenzari: "Il catalogo degli scadenzari, l'anteprima delle scadenze e la migrazione a una nuova versione",
  Procedimenti: "Procedimenti, eventi e scadenze degli uffici, con la credenziale d'ufficio",
  Relazioni: "Relazioni periodiche: lettura, versioni, trasmissione e ritiro",
  Amministrazione: "Operazioni degli amministratori: posta in uscita, integrità, distretti, registro degli accessi",
  "Webhook in uscita": "Abbonamenti agli eventi di Termini: consegne, registro degli eventi, reinvii, segreti",
  Webhook: "Eventi firmati dai sistemi dei centri e degli uffici",
  QStash: "Le chiamate di Upstash QStash, quando consegna gli eventi in uscita",
};

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

const headerRefs = (names: readonly ResponseHeader[]) => Object.fromEntries(["X-Request-Id" as const, ...names].map((n) => [n, { $ref: `#/components/headers/${n}` }]));

/** The problem codes a route may answer, one response per status, each code named. */
function problemResponses(codes: readonly ProblemCode[]): Record<string, Json> {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of new Set(codes)) byStatus.set(PROBLEMS[code].status, [...(byStatus.get(PROBLEMS[code].status) ?? []), code]);
  return Object.fromEntries([...byStatus].map(([status, list]) => [String(status), {
    description: list.map((code) => `${code}: ${PROBLEMS[code].title}`).join("; "),
    headers: headerRefs(list.some((c) => "retryAfterSeconds" in PROBLEMS[c]) ? ["Retry-After"] : []),
    content: { "application/problem+json": { schema: { allOf: [{ $ref: "#/components/schemas/Problem" }, { properties: { code: { enum: list } } }] } } },
  }]));
}

function content(r: ContractResponse): Json | undefined {
  if (r.media !== undefined) {
    return Object.fromEntries(Object.entries(r.media).map(([type, s]) => [type, {
      schema: s === "binary" ? { type: "string", format: "binary" } : s === "text" ? { type: "string" } : schema(s),
    }]));
  }
  return r.schema === undefined ? undefined : { "application/json": { schema: schema(r.schema) } };
}

function operation(c: Contract): Json {
  const responses: Record<string, Json> = {};
  for (const [status, r] of Object.entries(c.responses)) {
    const body = content(r);
    responses[status] = { description: r.description, headers: headerRefs(r.headers ?? []), ...(body ? { content: body } : {}) };
  }
  Object.assign(responses, problemResponses([...c.problems, ...EVERY_OPERATION]));
  const params = parameters(c);
  const body = c.body === undefined ? undefined : { required: true, content: { "application/json": { schema: bodySchema(c) } } };
  return {
    operationId: c.operationId, summary: c.summary, tags: [c.tag],
    // A public operation says so: no credential at all.
    security: c.security === undefined ? [] : [{ [c.security]: [] }],
    ...(params.length ? { parameters: params } : {}), ...(body ? { requestBody: body } : {}), responses,
  };
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
      occurredAt: { type: "string", format: "date-time", description: "Quando l'atto è avvenuto (RFC 3339 con offset)", examples: ["2026-10-01T10:00:00+02:00"] },
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

/** The document; `server`: where this deployment answers (its APP_BASE_URL). */
export function openApiDocument(server = "http://localhost:8787") {
  const paths: Record<string, Json> = {};
  for (const c of CONTRACTS) paths[c.path] = { ...paths[c.path], [c.method]: operation(c) };
  return {
    openapi: "3.1.0",
    info: {
      title: "Termini API",
      version: "1",
      description: "Scadenze di legge nei procedimenti per violenza di genere e domestica. Nessun dato personale: i procedimenti sono identificati da riferimenti pseudonimi.",
    },
    servers: [{ url: server, description: "Questa installazione di Termini" }],
    tags: [...new Set(CONTRACTS.map((c) => c.tag))].map((name) => ({ name, description: TAG_DESCRIPTIONS[name] ?? name })),
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "Credenziale d'ufficio, rilasciata da un amministratore (vedi /docs)" },
        webhook: { type: "apiKey", in: "header", name: "webhook-signature", description: "Firma Standard Webhooks con il segreto del mittente (con webhook-id e webhook-timestamp)" },
        qstash: { type: "apiKey", in: "header", name: "Upstash-Signature", description: "JWT firmato da QStash (chiave corrente o successiva)" },
      },
      headers: Object.fromEntries(Object.entries(RESPONSE_HEADERS).map(([name, h]) => [name, { description: h.description, schema: h.schema }])),
      schemas: {
        Problem: {
          type: "object",
          required: ["type", "title", "status", "code", "requestId"],
          properties: {
            type: { type: "string" }, title: { type: "string" }, status: { type: "integer" }, code: { type: "string", enum: Object.keys(PROBLEMS) },
            detail: { type: "string" }, parameter: { type: "string", description: `Il parametro, il campo o l'intestazione (es. ${REASON_HEADER}) da correggere` },
            errors: { type: "array", items: { type: "object", properties: { parameter: { type: "string" }, code: { type: "string" }, detail: { type: "string" } } } },
            instance: { type: "string" }, requestId: { type: "string" },
          },
        },
        ...eventUnion("WebhookEvent", true),
        ...eventUnion("CaseEvent", false),
        ...Object.fromEntries(Object.entries(eventDataSchemas()).map(([type, s]) => [componentName("EventData", type), schema(s)])),
        ...webhookComponents(),
      },
    },
    paths,
    webhooks: webhooks(),
  };
}
