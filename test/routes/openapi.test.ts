/**
 * /openapi.json is built from the routes' contracts: every API route the
 * app serves is in it, with the problem codes it may answer; an event's
 * `type` decides the schema of its `data`; outbound events are under
 * `webhooks`. (The document is validated against OpenAPI 3.1 in
 * test/oracle/openapi-valid.test.ts: the validator compiles schemas to
 * code, which workerd does not run.)
 */
import { env, exports } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { fetchWith } from "../backbone/helpers.js";
import { eventDataSchemas } from "../../src/domain/events/schemas.js";
import { PROBLEMS } from "../../src/http/problem.js";
import { OUTBOUND_KINDS } from "../../src/outbound/events.js";
import { CONTRACTS } from "../../src/routes/contracts.js";
import { api, casePath, endTimelines, newRef } from "../backbone/helpers.js";

type Op = { summary: string; parameters?: { name: string; in: string }[]; responses: Record<string, { content?: Record<string, { schema: { allOf?: [unknown, { properties: { code: { enum: string[] } } }] } }> }> };
type Doc = { paths: Record<string, Record<string, Op>>; webhooks: Record<string, { post: { requestBody: { content: { "application/json": { schema: { properties: { type: { const: string } } } } } } } }>; components: { schemas: Record<string, { oneOf?: unknown[]; discriminator?: { mapping: Record<string, string> }; properties?: Record<string, { const?: string; $ref?: string }> }> } };

// The event recorded below starts a timeline: its workflow is ended with the file.
afterAll(() => endTimelines());

const doc = async () => (await (await exports.default.fetch("http://termini.test/openapi.json")).json()) as Doc;

/** Hono's `/api/v1/cases/:ref{.+}/events` as OpenAPI's `/api/v1/cases/{ref}/events`. */
const openApiPath = (path: string) => path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}");

/** Answers 405 to say the resource is GET only: documented with the GET, not as operations. */
const METHOD_NOT_ALLOWED = new Set(["POST /api/v1/terms", "PUT /api/v1/terms", "PATCH /api/v1/terms", "DELETE /api/v1/terms"]);

describe("the OpenAPI document", () => {
  it("has every API and webhook route the app serves, with its parameters", async () => {
    const d = await doc();
    const served = new Set(createApp().routes.filter((r) => r.method !== "ALL" && /^\/(api|webhooks)\//.test(r.path)).map((r) => `${r.method} ${openApiPath(r.path)}`));
    const missing = [...served].filter((r) => !METHOD_NOT_ALLOWED.has(r)).filter((r) => {
      const [method, path] = r.split(" ") as [string, string];
      return d.paths[path]?.[method.toLowerCase()] === undefined;
    });
    expect(missing).toEqual([]);
    // And nothing documented that the app does not serve.
    const documented = Object.entries(d.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.filter((r) => !served.has(r))).toEqual([]);
    const params = (path: string, method: string) => d.paths[path]![method]!.parameters!.map((p) => `${p.in}:${p.name}`);
    expect(params("/api/v1/terms", "get")).toEqual(expect.arrayContaining(["query:from", "query:amount", "query:unit", "query:regime", "query:calendar", "query:feriale", "query:instituted"]));
    expect(params("/api/v1/cases/{ref}/events", "post")).toEqual(expect.arrayContaining(["path:ref", "query:office", "query:district", "header:Idempotency-Key"]));
  });

  it("names each problem code under its status, all of them known", async () => {
    const d = await doc();
    const codes = Object.values(d.paths).flatMap((ops) => Object.values(ops)).flatMap((op) => Object.entries(op.responses))
      .filter(([status, r]) => Number(status) >= 400 && r.content?.["application/problem+json"] !== undefined).flatMap(([status, r]) => r.content!["application/problem+json"]!.schema.allOf![1].properties.code.enum.map((c) => [status, c] as const));
    expect(codes.length).toBeGreaterThan(50);
    for (const [status, code] of codes) expect(String(PROBLEMS[code as keyof typeof PROBLEMS]?.status), code).toBe(status);
    const event = d.paths["/webhooks/events"]!.post!.responses;
    expect(event["401"]!.content!["application/problem+json"]!.schema.allOf![1].properties.code.enum).toEqual(["webhook_signature_missing", "webhook_signature_invalid", "webhook_timestamp_stale"]);
    expect(d.paths["/api/v1/terms"]!.get!.responses["200"]!.content!["application/json"]!.schema).toHaveProperty("properties");
  });

  it("ties an inbound event's type to the schema of its data", async () => {
    const d = await doc();
    const union = d.components.schemas.WebhookEvent!;
    const types = Object.keys(eventDataSchemas());
    expect(union.oneOf).toHaveLength(types.length);
    expect(Object.keys(union.discriminator!.mapping).sort()).toEqual([...types].sort());
    const variant = d.components.schemas["WebhookEvent.measures.requested"]!;
    expect(variant.properties!.type!.const).toBe("measures.requested");
    expect(variant.properties!.data!.$ref).toBe("#/components/schemas/EventData.measures.requested");
    expect(d.components.schemas["EventData.suspect.registered"]).toBeDefined();
  });

  it("documents every outbound event kind under webhooks, the test event too, each payload a named schema", async () => {
    const d = await doc();
    const kinds = [...OUTBOUND_KINDS, "webhook.test"];
    expect(Object.keys(d.webhooks).sort()).toEqual(kinds.sort());
    for (const kind of kinds) {
      const ref = (d.webhooks[kind]!.post.requestBody.content["application/json"].schema as unknown as { $ref: string }).$ref;
      expect(ref).toMatch(/^#\/components\/schemas\/[A-Z][A-Za-z]+Event$/);
      const payload = d.components.schemas[ref.split("/").at(-1)!]!;
      expect(payload.properties!.type!.const).toBe(kind);
      expect(Object.keys(payload.properties!)).toEqual(expect.arrayContaining(["id", "version", "timestamp", "sequence", "data"]));
    }
  });

  it("names every operation, declares the security of each (none: []), and a server", async () => {
    const d = (await doc()) as unknown as { servers: { url: string }[]; paths: Record<string, Record<string, { operationId?: string; security?: unknown[] }>> };
    expect(d.servers[0]!.url).toBe(env.APP_BASE_URL);
    const ops = Object.values(d.paths).flatMap((m) => Object.values(m));
    const ids = ops.map((o) => o.operationId);
    expect(ids.every((id) => typeof id === "string" && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ops.every((o) => Array.isArray(o.security))).toBe(true);
    expect(d.paths["/api/v1/terms"]!.get!.security).toEqual([]);
    // Parameters typed as what they are: numbers as integers, instants as date-times.
    const param = (path: string, name: string) => ((d.paths[path]!.get as unknown as { parameters: { name: string; schema: Record<string, unknown> }[] }).parameters.find((p) => p.name === name))!.schema;
    expect(param("/api/v1/cases", "limit")).toEqual({ type: "integer", minimum: 1, maximum: 200 });
    expect(param("/api/v1/terms", "amount")).toMatchObject({ type: "integer", minimum: 1 });
    expect(param("/api/v1/terms", "from")).toMatchObject({ type: "string", format: "date-time" });
    expect(param("/api/v1/audit-log", "from")).toMatchObject({ type: "string", format: "date-time" });
  });
});

describe("the /docs reference", () => {
  it("shows the event catalogue from the timelines, signing in curl, Node and Python, the retry rules, outbound events and the error table", async () => {
    const res = await exports.default.fetch("http://termini.test/docs");
    expect(res.headers.get("Content-Type")).toContain("text/html");
    const html = await res.text();
    for (const section of ["Firmare un evento", "Catalogo degli eventi in ingresso", "Ripetizioni, riprove e reinvii", "Eventi in uscita", "Errori", "Operazioni"]) expect(html).toContain(section);
    // Each inbound type, with what it does to which timeline.
    for (const type of Object.keys(eventDataSchemas())) expect(html, type).toContain(`id="evento-${type}"`);
    expect(html).toContain("chiude la fase «");
    for (const kind of OUTBOUND_KINDS) expect(html).toContain(`<code>${kind}</code>`);
    for (const code of Object.keys(PROBLEMS)) expect(html).toContain(`<code>${code}</code>`);
    expect(html).toContain("openssl dgst -sha256 -mac HMAC");
    expect(html).toContain("hmac.new(secret");
    expect(html).not.toMatch(/<script|https:\/\/cdn|<link[^>]+https?:/);
  });
});

describe("the documented answers", () => {
  /** The schema a route's contract gives for an answer, checked against what the route answers. */
  const answerSchema = (method: string, path: string, status: number) => CONTRACTS.find((c) => c.method === method && c.path === path)!.responses[status]!.schema!;

  it("match what the routes answer: terms, timelines, preview, an event, subscriptions", async () => {
    const get = async (path: string, init: RequestInit = {}) => exports.default.fetch(`http://termini.test${path}`, init);
    const terms = await get("/api/v1/terms?from=2026-03-02T10:15:00%2B01:00&amount=30&unit=days&regime=penal");
    answerSchema("get", "/api/v1/terms", 200).parse(await terms.json());
    answerSchema("get", "/api/v1/timelines", 200).parse(await (await get("/api/v1/timelines")).json());
    const preview = await get("/api/v1/deadlines/preview", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ timeline: "362-bis", events: [{ type: "suspect.registered", occurredAt: "2026-03-02T10:15:00+01:00" }] }),
    });
    expect(preview.status).toBe(200);
    answerSchema("post", "/api/v1/deadlines/preview", 200).parse(await preview.json());
    const event = await api("POST", `${casePath(newRef())}/events`, { body: { type: "suspect.registered", occurredAt: new Date(Date.now() - 3_600_000).toISOString(), data: { jurisdiction: "TO" } } });
    expect(event.status).toBe(201);
    const recorded = await event.json() as { case: { ref: string } };
    answerSchema("post", "/api/v1/cases/{ref}/events", 201).parse(recorded);
    answerSchema("get", "/api/v1/cases/{ref}", 200).parse(await (await api("GET", casePath(recorded.case.ref))).json());
    answerSchema("get", "/api/v1/subscriptions", 200).parse(await (await api("GET", "/api/v1/subscriptions")).json());
    answerSchema("get", "/api/v1/outbox", 200).parse(await (await api("GET", "/api/v1/outbox")).json());
    answerSchema("get", "/api/v1/calendars", 200).parse(await (await get("/api/v1/calendars")).json());
    answerSchema("get", "/api/v1/cases", 200).parse(await (await api("GET", "/api/v1/cases")).json());
    answerSchema("get", "/api/v1/offices/{id}/deadlines", 200).parse(await (await api("GET", "/api/v1/offices/procura-torino/deadlines?status=all")).json());
  });
});

describe("the reference an integrator reads", () => {
  it("gives each inbound field its type and an example, the outbound envelope and headers, ordering, catch-up, the subscriber's acts, versions", async () => {
    const html = await (await exports.default.fetch("http://termini.test/docs")).text();
    expect(html).not.toContain("istante o identificativo");
    expect(html).toContain("istante RFC 3339 con offset (stringa, <code>format: date-time</code>), es. <code>2026-10-01T10:00:00+02:00</code>");
    expect(html).toContain("il campo <code>event.id</code> della risposta che lo ha registrato");
    for (const id of ["accesso", "uscita", "ordine", "recupero", "abbonamento", "calendario", "sviluppo", "versioni"]) expect(html).toContain(`id="${id}"`);
    for (const h of ["termini-event-type", "termini-delivery-attempt", "webhook.test", "<code>sequence</code>"]) expect(html).toContain(h);
    expect(html).toContain("L&#39;ordine di consegna <strong>non è garantito</strong>");
    // The figures are the deployment's own settings.
    expect(html).toContain("per <strong>30 giorni</strong> (<code>OUTBOUND_LOG_DAYS</code>)");
    expect(html).toContain("dopo <strong>5 giorni</strong> di errori continui");
    const shorter = await fetchWith({ OUTBOUND_LOG_DAYS: "45" }, "/docs");
    expect(await shorter.text()).toContain("per <strong>45 giorni</strong>");
  });
});

