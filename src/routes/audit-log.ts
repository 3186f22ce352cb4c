/**
 * The audit log exported through the API, for the Garante or an internal check (art. 21 co. 3–4
 * D.Lgs. 51/2018): administrators' and data-protection officers' credentials only; the purpose is
 * required and logged with the export, and the file's SHA-256 is in X-Checksum and Repr-Digest.
 */
import * as z from "zod";
import { bearer } from "../auth/bearer.js";
import { LOG_PURPOSES, type LogPurpose } from "../domain/access/access-reason.js";
import { ApiError } from "../http/problem.js";
import { AUTH_PROBLEMS, QUERY_PROBLEMS, contract } from "../http/contract.js";
import { parseQuery } from "../http/query.js";
import { canonicalReference } from "../lib/reference.js";
import { parseInstant } from "../engine/instant.js";
import { EXPORT_MAX, serveExport } from "../web/admin-log.js";
import { createRouter } from "../http/router.js";

export const auditLogRoutes = createRouter();

const Instant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, "istante ISO 8601 con fuso, es. 2026-12-01T00:00:00+01:00");
/** As /openapi.json shows a bound of the period: an RFC 3339 instant. */
const bound = (description: string) => Instant.optional().meta({ description, format: "date-time", examples: ["2026-12-01T00:00:00+01:00"] });
const Query = z.strictObject({
  purpose: z.enum(Object.keys(LOG_PURPOSES) as [LogPurpose, ...LogPurpose[]]).describe(Object.entries(LOG_PURPOSES).map(([k, v]) => `${k}: ${v}`).join("; ")),
  format: z.enum(["json", "csv"]).default("json"),
  case: z.string().min(1).max(64).optional().describe("Riferimento del procedimento"),
  office: z.string().min(1).max(64).optional().describe("Ufficio coinvolto nei procedimenti"),
  actor: z.string().min(1).max(120).optional().describe("Chi ha agito: identificativo (user:…, credential:…) o parte del nome"),
  from: bound("Dal (incluso)"),
  to: bound("Al (escluso)"),
});

auditLogRoutes.get("/", bearer, async (c) => {
  const p = c.get("principal");
  if (p.role !== "admin" && p.role !== "dpo") throw new ApiError("forbidden", "Registro riservato agli amministratori e al responsabile della protezione dei dati");
  const q = parseQuery(c, Query, { purpose: Object.keys(LOG_PURPOSES).join("|"), format: "json|csv", case: "riferimento", office: "ufficio", actor: "chi", from: "istante", to: "istante" });
  const instant = (s: string | undefined, parameter: string) => {
    if (s === undefined) return undefined;
    const r = parseInstant(s);
    if (!r.ok) throw new ApiError("invalid_parameter", `${parameter}: istante non valido`, { parameter });
    return r.ms;
  };
  const from = instant(q.from, "from");
  const to = instant(q.to, "to");
  return serveExport(c, p.id, { caso: q.case === undefined ? undefined : canonicalReference(q.case), ufficio: q.office, chi: q.actor, from, to }, q.format, q.purpose);
});

const At = z.iso.datetime({ offset: true });
const LogExportSchema = z.object({
  export: z.object({
    administration: z.string(), purpose: z.string(), generatedAt: At, generatedBy: z.string(),
    filter: z.object({ case: z.string().optional(), office: z.string().optional(), actor: z.string().optional(), from: At.optional(), to: At.optional() }),
    entries: z.int().describe("Quante voci contiene"), truncated: z.boolean().describe("true: le voci erano di più; sono qui le più recenti"),
  }),
  entries: z.array(z.object({
    at: At, actor: z.string(), actorName: z.string(), action: z.string(), sentence: z.string().describe("L'azione in italiano"),
    reason: z.string().nullable(), caseRef: z.string().nullable(), caseId: z.string().nullable(), requestId: z.string().nullable(), detail: z.record(z.string(), z.unknown()),
  })),
});

export const auditLogContracts = [contract({
  method: "get", path: "/api/v1/audit-log", operationId: "exportAuditLog", tag: "Amministrazione", security: "bearer",
  summary: `Esporta il registro degli accessi e delle comunicazioni (al più ${EXPORT_MAX} voci, le più recenti), per la finalità indicata; impronta SHA-256 in X-Checksum`,
  query: Query,
  responses: { 200: { description: "Il registro, nel formato chiesto", media: { "application/json": LogExportSchema, "text/csv": "text" }, headers: ["Content-Disposition", "X-Checksum", "Repr-Digest"] } },
  problems: [...AUTH_PROBLEMS, ...QUERY_PROBLEMS],
})];
