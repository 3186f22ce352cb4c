/**
 * GET  /api/v1/reports/{kind}/{period}?format=pdf|csv|zip|json[&region|office|district][&version][&table]
 * POST /api/v1/reports/{kind}/{period}/generate — a new version from the current counters
 * POST /api/v1/reports/{kind}/{period}/submit   — the responsible office files the latest version
 */
import { REASON_HEADER_DOC, requestReason } from "../http/reason.js";
import { formatRomeInstant } from "../engine/rome.js";
import type { Context } from "hono";
import { AUTH_PROBLEMS, QUERY_PROBLEMS, contract } from "../http/contract.js";
import * as z from "zod";
import type { AppEnv } from "../env.js";
import { bearer } from "../auth/bearer.js";
import { currentUser } from "../web/session.js";
import { audit } from "../db/audit.js";
import { caseDbs, centralDb, districtDb } from "../db/districts.js";
import { findReport, listVersions, transmittedReport } from "../db/reports.js";
import { type Format, generateReport, render } from "../domain/reports/report-files.js";
import { submitReport, withdrawReport } from "../domain/reports/report-transmission.js";
import { reportFonts } from "../stats/fonts.js";
import { config } from "../config.js";
import { reportScope } from "../domain/reports/report-access.js";
import { ApiError } from "../http/problem.js";
import { integerParam, parseQuery } from "../http/query.js";
import { HIDDEN_MARK, REPORT_KINDS, type ReportKind, SMALL_MARK, periodMonths } from "../stats/report.js";
import { enabledBills } from "../timelines/catalog.js";
import { wakeAll } from "../workflows/wake.js";
import { createRouter } from "../http/router.js";

export const reportRoutes = createRouter();
// A token, or — to download from the web app — a signed-in session, for reading only
// (generating and filing change state, so they need the token: no CSRF exposure).
reportRoutes.use("*", async (c, next) => {
  if (c.req.header("Authorization") === undefined && c.req.method === "GET") {
    const user = await currentUser(c, Date.now());
    if (user !== undefined) {
      if (user.role === "dpo") throw new ApiError("forbidden", "Il responsabile della protezione dei dati consulta solo il registro degli accessi");
      c.set("principal", { ...user.principal, purpose: "relazione scaricata dalla pagina Relazioni per l'esame o la trasmissione prevista dalla legge" });
      return next();
    }
  }
  return bearer(c, next);
});

const Scope = { region: z.string().min(2).max(60).optional(), office: z.string().min(2).max(64).optional(), district: z.string().regex(/^[A-Z]{2}$/).optional() };
const ReadQuery = z.strictObject({
  format: z.enum(["json", "csv", "zip", "pdf"]).default("json"),
  version: integerParam(1, 100_000).optional(),
  table: z.string().max(40).optional(),
  ...Scope,
});
const ScopeQuery = z.strictObject(Scope);
const SCOPE_HINTS = { region: "regione", office: "Procura", district: "distretto" };

/**
 * The period must name one for this kind (2026, 2026-Q1, 2026-H1) before anything is looked
 * up, and must have begun: a period still to come has no report (404), and none is stored.
 */
function periodOf(kind: ReportKind, raw: string, now: number): string {
  const span = periodMonths(kind, raw);
  if (span === undefined) {
    throw new ApiError("invalid_parameter", `period: periodo ${raw.slice(0, 20)} non valido per ${kind} (es. 2026, 2026-Q1, 2026-H1)`, { parameter: "period" });
  }
  if (span.months[0]! > formatRomeInstant(now).slice(0, 7)) {
    throw new ApiError("not_found", `period: il periodo ${raw} non è ancora iniziato`, { parameter: "period" });
  }
  return raw;
}

/** RFC 6266: an ASCII fallback name and the exact one, percent-encoded; nothing a scope holds can break the header. */
function attachment(filename: string): string {
  const ascii = filename.replace(/[^A-Za-z0-9._-]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

function kindOf(raw: string): ReportKind {
  if (!(REPORT_KINDS as readonly string[]).includes(raw)) {
    throw new ApiError("invalid_parameter", `kind: uno tra ${REPORT_KINDS.join(", ")}`, { parameter: "kind" });
  }
  return raw as ReportKind;
}

/** A file of the static assets (Bootstrap Italia's dist folder), as bytes. */
const readAsset = (assets: Fetcher) => async (path: string): Promise<Uint8Array> => {
  const res = await assets.fetch(new Request(`https://assets.invalid/${path}`));
  if (!res.ok) throw new Error(`asset ${path}: ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
};

reportRoutes.get("/:kind/:period", async (c) => {
  const now = Date.now();
  const db = centralDb(c.env);
  const p = c.get("principal");
  const kind = kindOf(c.req.param("kind"));
  const period = periodOf(kind, c.req.param("period"), now);
  const q = parseQuery(c, ReadQuery, { format: "json|csv|zip|pdf", version: "numero di versione", table: "tabella (csv)", ...SCOPE_HINTS });
  const scope = await reportScope(db, p, kind, q);
  // The first read of a period generates its first version; later versions only on request.
  let r = await findReport(db, kind, period, scope, q.version);
  if (r === undefined && q.version !== undefined) throw new ApiError("not_found", `Nessuna versione ${q.version} di questo rapporto`);
  r ??= await generateReport(db, kind, period, scope, p.id, now, caseDbs(c.env));
  const pdf = q.format === "pdf" ? { fonts: await reportFonts(readAsset(c.env.ASSETS)), administration: config(c.env).ADMINISTRATION_NAME } : undefined;
  const out = render(r, q.format as Format, q.table, pdf);
  // A disclosure (aggregated counts) to whoever downloads it: the log names them as its recipient.
  await audit(db, { actor: p.id, action: "report.read", caseId: null, requestId: c.get("requestId"), detail: { kind, period, scope, version: r.version, format: q.format, recipients: [p.id] }, reason: requestReason(c) }, now);
  c.header("Content-Disposition", attachment(out.filename));
  c.header("X-Report-Version", String(r.version));
  c.header("X-Report-Checksum", `sha256:${r.checksum}`);
  c.header("X-Report-Snapshot", formatRomeInstant(r.snapshotAt));
  c.header("Content-Type", out.type);
  return c.body(out.body as string);
});

reportRoutes.get("/:kind/:period/versions", async (c) => {
  const db = centralDb(c.env);
  const kind = kindOf(c.req.param("kind"));
  const scope = await reportScope(db, c.get("principal"), kind, parseQuery(c, ScopeQuery, SCOPE_HINTS));
  const period = periodOf(kind, c.req.param("period"), Date.now());
  const versions = await listVersions(db, kind, period, scope);
  return c.json({
    kind, period, scope,
    versions: versions.map((v) => ({ version: v.version, snapshotAt: formatRomeInstant(v.snapshotAt), checksum: v.checksum, submittedAt: v.submittedAt, withdrawnAt: v.withdrawnAt })),
  });
});

reportRoutes.post("/:kind/:period/generate", async (c) => {
  const db = centralDb(c.env);
  const p = c.get("principal");
  const kind = kindOf(c.req.param("kind"));
  const scope = await reportScope(db, p, kind, parseQuery(c, ScopeQuery, SCOPE_HINTS));
  const r = await generateReport(db, kind, periodOf(kind, c.req.param("period"), Date.now()), scope, p.id, Date.now(), caseDbs(c.env));
  return c.json({ kind, period: r.period, scope, version: r.version, checksum: r.checksum, snapshotAt: formatRomeInstant(r.snapshotAt) }, 201);
});

/** The report a submit or withdraw names, in the caller's scope; and what filing it needs to act. */
async function filing(c: Context<AppEnv, "/:kind/:period/:action">, now: number) {
  const db = centralDb(c.env);
  const p = c.get("principal");
  const kind = kindOf(c.req.param("kind"));
  const period = periodOf(kind, c.req.param("period"), now);
  const scope = await reportScope(db, p, kind, parseQuery(c, ScopeQuery, SCOPE_HINTS));
  const opts = { requestId: c.get("requestId"), billEnabled: enabledBills(c.env.ENABLED_BILLS), appBaseUrl: c.env.APP_BASE_URL };
  return { db, p, kind, period, scope, opts, districtOf: (d: string) => districtDb(c.env, d) };
}

reportRoutes.post("/:kind/:period/submit", async (c) => {
  const now = Date.now();
  const f = await filing(c, now);
  const r = await findReport(f.db, f.kind, f.period, f.scope);
  if (r === undefined) throw new ApiError("not_found", "Nessuna versione da trasmettere: generare prima il rapporto");
  const { closed, wake, db: cases } = await submitReport(f.db, f.p, r, now, f.opts, c.env.COMPLIANCE_QUARTER_ENDS, f.districtOf);
  if (wake !== null) await wakeAll(c.env, cases, wake, now);
  return c.json({ kind: f.kind, period: f.period, scope: f.scope, version: r.version, submitted: true, obligation: closed });
});

reportRoutes.post("/:kind/:period/withdraw", async (c) => {
  const now = Date.now();
  const f = await filing(c, now);
  const r = await transmittedReport(f.db, f.kind, f.period, f.scope);
  if (r === undefined) throw new ApiError("not_found", "Nessuna versione trasmessa per questo periodo");
  const { wake, db: cases } = await withdrawReport(f.db, f.p, r, now, f.opts, c.env.COMPLIANCE_QUARTER_ENDS, f.districtOf);
  if (wake !== null) await wakeAll(c.env, cases, wake, now);
  return c.json({ kind: f.kind, period: f.period, scope: f.scope, version: r.version, submitted: false });
});

const ReportPath = z.object({
  kind: z.enum(REPORT_KINDS as unknown as [ReportKind, ...ReportKind[]]),
  period: z.string().describe("2026, 2026-Q1 o 2026-H1, secondo il tipo"),
});
const REPORT_PROBLEMS = [...AUTH_PROBLEMS, ...QUERY_PROBLEMS, "not_found"] as const;

/** A count as published: a number, or "<5" / "riservato" where a small count must not be worked back to a person. */
const Count = z.union([z.int(), z.enum([SMALL_MARK, HIDDEN_MARK])]);
const ReportJsonSchema = z.object({
  kind: z.enum(REPORT_KINDS as unknown as [ReportKind, ...ReportKind[]]), period: z.string(), scope: z.string(), title: z.string(), periodLabel: z.string(),
  snapshotAt: z.iso.datetime({ offset: true }).describe("Istante dei dati"),
  provisional: z.boolean().describe("true: il periodo non era concluso alla data dei dati, i numeri possono cambiare"),
  tables: z.array(z.object({
    id: z.string(), title: z.string(), columns: z.array(z.object({ key: z.string(), label: z.string() })),
    rows: z.array(z.record(z.string(), z.union([z.string(), Count]))).describe("Una riga per ufficio o voce: le chiavi sono quelle di columns"),
  })),
  monthly: z.array(z.object({ month: z.string().describe("AAAA-MM"), programmes: Count, deadlines: Count })),
  notes: z.array(z.string()),
  version: z.int(), checksum: z.string().describe("SHA-256 del contenuto, in esadecimale"), submittedAt: z.int().nullable().describe("Trasmessa (ms dall'epoca Unix); null se non trasmessa"),
});

export const reportsContracts = [
  contract({
    method: "get", path: "/api/v1/reports/{kind}/{period}", operationId: "getReport", tag: "Relazioni", security: "bearer", headers: [REASON_HEADER_DOC],
    summary: "Relazione in JSON, CSV (una tabella o tutte in ZIP) o PDF; la prima lettura di un periodo genera la versione 1",
    params: ReportPath, query: ReadQuery,
    responses: {
      200: {
        description: "La relazione, nel formato chiesto: JSON (format=json), una tabella CSV (format=csv&table=…), tutte le tabelle CSV in ZIP (format=csv o zip), PDF (format=pdf)",
        media: { "application/json": ReportJsonSchema, "text/csv": "text", "application/zip": "binary", "application/pdf": "binary" },
        headers: ["Content-Disposition", "X-Report-Version", "X-Report-Checksum", "X-Report-Snapshot"],
      },
    },
    problems: REPORT_PROBLEMS,
  }),
  contract({
    method: "get", path: "/api/v1/reports/{kind}/{period}/versions", operationId: "listReportVersions", tag: "Relazioni", security: "bearer", summary: "Versioni generate, con istante e impronta",
    params: ReportPath, query: ScopeQuery, problems: REPORT_PROBLEMS,
    responses: {
      200: {
        description: "Versioni, la più recente per prima",
        schema: z.object({ kind: z.string(), period: z.string(), scope: z.string(), versions: z.array(z.object({
          version: z.number().int(), snapshotAt: z.string(), checksum: z.string(), submittedAt: z.number().nullable().describe("Trasmessa (ms dall'epoca), o null"),
          withdrawnAt: z.number().nullable().describe("Ultimo ritiro di una trasmissione fatta per errore (ms dall'epoca), o null"),
        })) }),
      },
    },
  }),
  contract({
    method: "post", path: "/api/v1/reports/{kind}/{period}/generate", operationId: "generateReport", tag: "Relazioni", security: "bearer", summary: "Nuova versione dai contatori attuali",
    params: ReportPath, query: ScopeQuery, problems: REPORT_PROBLEMS,
    responses: { 201: { description: "Versione", schema: z.object({ kind: z.string(), period: z.string(), scope: z.string(), version: z.number().int(), checksum: z.string(), snapshotAt: z.string() }) } },
  }),
  contract({
    method: "post", path: "/api/v1/reports/{kind}/{period}/submit", operationId: "submitReport", tag: "Relazioni", security: "bearer",
    summary: "Trasmissione dell'ultima versione da parte dell'ufficio tenuto, che chiude l'obbligo (evento report.published agli abbonati)",
    params: ReportPath, query: ScopeQuery, problems: [...REPORT_PROBLEMS, "stage_closed", "period_not_ended"],
    responses: {
      200: {
        description: "Trasmessa",
        schema: z.object({ kind: z.string(), period: z.string(), scope: z.string(), version: z.number().int(), submitted: z.literal(true), obligation: z.string().nullable().describe("L'obbligo chiuso, se era aperto") }),
      },
    },
  }),
  contract({
    method: "post", path: "/api/v1/reports/{kind}/{period}/withdraw", operationId: "withdrawReport", tag: "Relazioni", security: "bearer",
    summary: "Ritiro di una trasmissione fatta per errore, entro 2 ore e da chi l'ha fatta: l'obbligo si riapre (evento report.withdrawn a chi aveva ricevuto report.published)",
    params: ReportPath, query: ScopeQuery, problems: [...REPORT_PROBLEMS, "stage_closed", "withdrawal_window_closed"],
    responses: {
      200: { description: "Trasmissione ritirata", schema: z.object({ kind: z.string(), period: z.string(), scope: z.string(), version: z.number().int(), submitted: z.literal(false) }) },
    },
  }),
];
