/** /openapi.json, generated from the same Zod schemas the routes validate with. */
import * as z from "zod";
import { CaseEventBody, CreateCaseBody, WebhookEventBody, eventDataSchemas } from "../domain/schemas.js";
import { PreviewBody } from "./preview.js";
import { MigrateBody } from "./timeline-migrate.js";

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any" });

const problem = { description: "Errore (RFC 9457)", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } };
const json = (description: string) => ({ description, content: { "application/json": { schema: { type: "object" } } } });
const bearer = [{ bearer: [] }];
const refParam = { name: "ref", in: "path", required: true, description: "Riferimento del procedimento (codificato nell'URL)", schema: { type: "string" } };
/** A reference is unique per owner office: these narrow it when the caller sees it at more than one. */
const hintParams = [
  { name: "office", in: "query", required: false, description: "Ufficio titolare del riferimento", schema: { type: "string" } },
  { name: "district", in: "query", required: false, description: "Distretto dell'ufficio titolare, es. TO", schema: { type: "string", pattern: "^[A-Z]{2}$" } },
];

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "Termini API",
      version: "1",
      description: "Scadenze di legge nei procedimenti per violenza di genere e domestica. Nessun dato personale: i procedimenti sono identificati da riferimenti pseudonimi.",
    },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: {
        Problem: {
          type: "object",
          required: ["type", "title", "status", "code", "requestId"],
          properties: {
            type: { type: "string" }, title: { type: "string" }, status: { type: "integer" }, code: { type: "string" },
            detail: { type: "string" }, parameter: { type: "string" }, instance: { type: "string" }, requestId: { type: "string" },
          },
        },
        WebhookEvent: schema(WebhookEventBody),
        CaseEvent: schema(CaseEventBody),
        CreateCase: schema(CreateCaseBody),
        Preview: schema(PreviewBody),
        Migrate: schema(MigrateBody),
        ...Object.fromEntries(Object.entries(eventDataSchemas()).map(([type, s]) => [`EventData:${type}`, schema(s)])),
      },
    },
    paths: {
      "/webhooks/events": {
        post: {
          summary: "Evento firmato (Standard Webhooks) da un sistema di un centro o di un ufficio",
          parameters: ["webhook-id", "webhook-timestamp", "webhook-signature"].map((name) => ({ name, in: "header", required: true, schema: { type: "string" } })),
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/WebhookEvent" } } } },
          responses: { "201": json("Evento registrato"), "400": problem, "401": problem, "403": problem, "409": problem, "413": problem, "415": problem, "422": problem },
        },
      },
      "/api/v1/cases": {
        get: { summary: "Procedimenti degli uffici della credenziale", security: bearer, responses: { "200": json("Elenco"), "401": problem } },
        post: {
          summary: "Registra un procedimento", security: bearer,
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/CreateCase" } } } },
          responses: { "201": json("Creato"), "401": problem, "403": problem, "409": problem, "422": problem },
        },
      },
      "/api/v1/cases/{ref}": {
        get: {
          summary: "Procedimento con scadenzari, scadenze e motivazioni; un procedimento non visibile risponde 404 come uno inesistente",
          security: bearer, parameters: [refParam, ...hintParams],
          responses: { "200": json("Procedimento"), "403": problem, "404": problem, "409": { ...problem, description: "ambiguous_case: riferimento di più uffici visibili" } },
        },
      },
      "/api/v1/cases/{ref}/events": {
        post: {
          summary: "Registra un evento (stessi tipi del webhook)", security: bearer,
          parameters: [refParam, ...hintParams, { name: "Idempotency-Key", in: "header", required: false, schema: { type: "string" } }],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/CaseEvent" } } } },
          responses: { "201": json("Evento registrato"), "200": json("Ripetizione con la stessa chiave"), "403": problem, "404": problem, "409": problem, "422": problem },
        },
      },
      "/api/v1/offices/{id}/deadlines": {
        get: {
          summary: "Scadenze di un ufficio", security: bearer,
          parameters: [
            { name: "id", in: "path", required: true, schema: { type: "string" } },
            { name: "status", in: "query", schema: { enum: ["open", "overdue", "upcoming", "met", "late", "closed", "all"] } },
          ],
          responses: { "200": json("Scadenze"), "403": problem },
        },
      },
      "/api/v1/outbox": { get: { summary: "Messaggi e stato di recapito (amministratori)", security: bearer, responses: { "200": json("Messaggi"), "403": problem } } },
      "/api/v1/timelines": { get: { summary: "Catalogo degli scadenzari (pubblico)", responses: { "200": json("Catalogo") } } },
      "/api/v1/deadlines/preview": {
        post: {
          summary: "Scadenze che una sequenza di eventi produrrebbe, con le motivazioni; non crea nulla (pubblico)",
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/Preview" } } } },
          responses: { "200": json("Anteprima"), "422": problem },
        },
      },
      "/api/v1/timelines/{id}/migrate": {
        post: {
          summary: "Sposta le istanze in corso a una versione successiva (amministratori)", security: bearer,
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/Migrate" } } } },
          responses: { "200": json("Istanze spostate"), "403": problem, "422": problem },
        },
      },
      "/api/v1/reports/{kind}/{period}": {
        get: {
          summary: "Relazione (JSON, CSV, PDF); la prima lettura genera la versione 1", security: bearer,
          parameters: [
            { name: "kind", in: "path", required: true, schema: { enum: ["regional", "national", "compliance-quarterly", "compliance-half-yearly"] } },
            { name: "period", in: "path", required: true, description: "2026, 2026-Q1 o 2026-H1", schema: { type: "string" } },
            { name: "format", in: "query", schema: { enum: ["json", "csv", "pdf"] } },
            ...["region", "office", "district", "version", "table"].map((name) => ({ name, in: "query", schema: { type: "string" } })),
          ],
          responses: { "200": { description: "Relazione" }, "400": problem, "403": problem, "404": problem },
        },
      },
      "/api/v1/reports/{kind}/{period}/versions": { get: { summary: "Versioni generate", security: bearer, responses: { "200": json("Versioni"), "403": problem } } },
      "/api/v1/reports/{kind}/{period}/generate": { post: { summary: "Nuova versione dai contatori attuali", security: bearer, responses: { "201": json("Versione"), "403": problem } } },
      "/api/v1/reports/{kind}/{period}/submit": { post: { summary: "Trasmissione da parte dell'ufficio tenuto, che chiude l'obbligo", security: bearer, responses: { "200": json("Trasmessa"), "403": problem, "404": problem, "409": problem } } },
      "/api/v1/terms": { get: { summary: "Calcolo di un termine (pubblico)", responses: { "200": json("Termine"), "400": problem, "422": problem } } },
    },
  };
}
