/** Cases: create, list (the caller's offices only), and read one with its timelines. */
import { REASON_HEADER_DOC, requestReason } from "../http/reason.js";
import { ConsequenceSchema, DATE_KINDS } from "../timelines/consequence.js";
import { DEADLINE_STATUSES } from "../db/schema.js";
import { formatRomeInstant } from "../engine/rome.js";
import * as z from "zod";
import { audit, auditInsert } from "../db/audit.js";
import { casesOfOffices, insertCase, ownedCase } from "../db/cases.js";
import { centralDb, districtDb, officeDbs } from "../db/districts.js";
import { directory } from "../db/directory.js";
import { ensureCurrentCopy } from "../db/replicate.js";
import { caseOffices } from "../db/schema.js";
import { caseView } from "../domain/cases/case-view.js";
import { CaseRef, CreateCaseBody, HINT_HINTS, HintQuery } from "../domain/events/schemas.js";
import { AUTH_PROBLEMS, BODY_PROBLEMS, QUERY_PROBLEMS, contract } from "../http/contract.js";
import { locateVisibleCase } from "../domain/cases/case-lookup.js";
import { mergeAudited, withLegacy } from "../domain/districts/district-reads.js";
import { requireOfficeFormat } from "../domain/cases/case-ref.js";
import { districtsOf, requireOwnDistrict } from "../domain/districts/resolve-offices.js";
import { apiCasePath } from "../lib/case-link.js";
import { jsonBody } from "../http/body.js";
import { ApiError } from "../http/problem.js";
import { integerParam, parseQuery, pathParam } from "../http/query.js";
import { latest } from "../timelines/catalog.js";
import { createRouter } from "../http/router.js";

export const caseRoutes = createRouter();

/** role → the directory kind of office that fills it, across the catalogue. */
const ROLE_KINDS = new Map<string, string>(latest().flatMap((t) => Object.entries(t.roles)));

caseRoutes.post("/", async (c) => {
  const now = Date.now();
  const p = c.get("principal");
  const body = await jsonBody(c.req.raw, CreateCaseBody);
  const entries = Object.entries(body.offices) as [string, string][];
  const dir = await directory(centralDb(c.env));
  const found = dir.getMany(entries.map(([, id]) => id));
  const districts = districtsOf(dir, p);
  for (const [role, id] of entries) {
    const office = found.get(id);
    const parameter = `offices.${role}`;
    if (office === undefined) throw new ApiError("unknown_office", `${parameter}: ufficio ${id} non presente in rubrica`, { parameter });
    if (office.kind !== ROLE_KINDS.get(role)) throw new ApiError("unknown_office", `${parameter}: l'ufficio ${id} non è di tipo ${role}`, { parameter });
    requireOwnDistrict(p, districts, office, parameter);
  }
  if (p.role !== "admin" && !entries.some(([, id]) => p.offices.has(id))) {
    throw new ApiError("forbidden", "Il procedimento deve riguardare almeno un ufficio della credenziale");
  }
  // The reference is the first office's (its own register number), in that office's format.
  const owner = found.get(entries[0]![1])!;
  requireOfficeFormat(owner, body.ref, "ref");
  // The owner office's district holds the case.
  const db = districtDb(c.env, owner.jurisdiction);
  // The rows name offices: the district's copy of the directory must hold what was checked above.
  await ensureCurrentCopy(db, undefined, now);
  if ((await ownedCase(db, owner.id, body.ref)) !== undefined) throw new ApiError("case_exists", `Il procedimento ${body.ref} è già registrato per ${owner.name}`);
  const id = crypto.randomUUID();
  await db.batch([
    insertCase(db, owner, { id, ref: body.ref, createdAt: now, createdBy: p.id, lastActivityAt: now }),
    ...entries.map(([role, officeId]) => db.insert(caseOffices).values({ caseId: id, officeId, role, caseCreatedAt: now })),
    auditInsert(db, { actor: p.id, action: "case.created", caseId: id, detail: { ref: body.ref, offices: body.offices }, requestId: c.get("requestId") }, now),
  ]);
  return c.json({ ref: body.ref, office: owner.id, offices: body.offices, createdAt: formatRomeInstant(now) }, 201, {
    Location: apiCasePath(body.ref, owner.id),
  });
});

/** A page's end, as `next` gives it: the last case's creation time (ms) and id. */
const Cursor = z.string().regex(/^\d{1,16}_[0-9a-f-]{36}$/, "cursore non valido: usare il link next della pagina precedente")
  .transform((s) => ({ createdAt: Number(s.slice(0, s.indexOf("_"))), id: s.slice(s.indexOf("_") + 1) }));

const ListQuery = z.strictObject({
  limit: integerParam(1, 200).default(50),
  cursor: Cursor.optional(),
});

caseRoutes.get("/", async (c) => {
  const p = c.get("principal");
  const q = parseQuery(c, ListQuery, { limit: "1-200", cursor: "the next page's cursor, from next" });
  const reason = requestReason(c);
  const dir = await directory(centralDb(c.env));
  // Each district's newest, merged: the page is the newest `limit` of them all; each district audits what it gave.
  const parts = await Promise.all((await withLegacy(c.env, officeDbs(c.env, dir, p.role === "admin" ? "all" : [...p.offices]), Date.now())).map(async ({ db, offices }) => {
    const found = await casesOfOffices(db, offices, q.limit, q.cursor);
    return { db, found };
  }));
  const rows = await mergeAudited(parts, (a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1), q.limit, (mine) => ({
    actor: p.id, action: "cases.listed", detail: { cases: mine.map((r) => r.id) }, requestId: c.get("requestId"), reason,
  }), Date.now());
  const last = rows[rows.length - 1];
  return c.json({
    cases: rows.map((r) => ({ ref: r.ref, office: r.ownerOfficeId, createdAt: formatRomeInstant(r.createdAt), href: apiCasePath(r.ref, r.ownerOfficeId) })),
    next: rows.length === q.limit && last !== undefined ? `/api/v1/cases?limit=${q.limit}&cursor=${last.createdAt}_${last.id}` : null,
  });
});

caseRoutes.get("/:ref{.+}", async (c) => {
  const p = c.get("principal");
  const ref = pathParam(CaseRef, c.req.param("ref"), "ref");
  const reason = requestReason(c);
  const { db, found } = await locateVisibleCase(c.env, p, ref, parseQuery(c, HintQuery, HINT_HINTS));
  const view = await caseView(db, found, Date.now());
  await audit(db, { actor: p.id, action: "case.read", caseId: found.id, detail: { ref }, requestId: c.get("requestId"), reason }, Date.now());
  return c.json(view);
});

const RefParam = z.object({ ref: CaseRef });

const CaseViewSchema = z.object({
  ref: z.string(), office: z.string().describe("Ufficio titolare del riferimento"), createdAt: z.string(),
  offices: z.record(z.string(), z.string()).describe("Ruolo → ufficio"),
  events: z.array(z.object({
    id: z.string(), type: z.string(), occurredAt: z.string(), source: z.string().describe("Chi l'ha registrato (system:termini per l'effetto di una scadenza)"),
    effect: z.string().optional().describe("Per stage.lapsed: l'effetto di legge registrato alla scadenza"),
  })),
  timelines: z.array(z.object({
    instanceId: z.string(), timeline: z.string(), version: z.number().int(), title: z.string().optional(), basis: z.string().optional(),
    legalStatus: z.enum(["in-force", "bill"]).optional(), status: z.enum(["running", "closed", "withdrawn"]),
    deadlines: z.array(z.object({
      id: z.string(), stage: z.string(), title: z.string().optional(), office: z.string(), dueAt: z.string(), dueDate: z.string().nullable(),
      status: z.enum(DEADLINE_STATUSES), overdue: z.boolean(), outcome: z.string().nullable(),
      date: z.enum(DATE_KINDS).optional().describe("Che cos'è la data"), consequence: ConsequenceSchema.optional(),
      exactInstant: z.boolean().optional().describe("Il termine scade a un istante preciso (termini a ore e settimane), non alle 23:59:59"),
      short: z.boolean().describe("Un periodo concluso senza gli atti richiesti (es. una settimana senza attestazioni): l'esito dice che cosa mancava"),
      lapsed: z.boolean().describe("Il termine è scaduto e la legge ha fatto perdere efficacia al provvedimento: gli atti della fase non sono più possibili"),
      why: z.object({}).loose().describe("La motivazione: fonte, termine, passi del calcolo (steps) in italiano"),
      notifications: z.array(z.object({ rung: z.string(), kind: z.string(), office: z.string(), sendAt: z.string(), status: z.string(), sentAt: z.string().nullable() })),
    })),
  })),
});

export const casesContracts = [
  contract({
    method: "post", path: "/api/v1/cases", operationId: "createCase", tag: "Procedimenti", security: "bearer", summary: "Registra un procedimento: il riferimento è del primo ufficio indicato",
    body: CreateCaseBody,
    responses: { 201: { description: "Creato (Location: il procedimento)", headers: ["Location"], schema: z.object({ ref: z.string(), office: z.string(), offices: z.record(z.string(), z.string()), createdAt: z.string() }) } }, problems: [...AUTH_PROBLEMS, ...BODY_PROBLEMS, "case_exists", "unknown_office", "directory_behind"],
  }),
  contract({
    method: "get", path: "/api/v1/cases", operationId: "listCases", tag: "Procedimenti", security: "bearer", headers: [REASON_HEADER_DOC], summary: "Procedimenti degli uffici della credenziale, i più recenti per primi, con il link alla pagina successiva",
    query: ListQuery,
    responses: {
      200: {
        description: "Elenco",
        schema: z.object({
          cases: z.array(z.object({ ref: z.string(), office: z.string().describe("Ufficio titolare"), createdAt: z.string(), href: z.string() })),
          next: z.string().nullable().describe("La pagina successiva, se c'è"),
        }),
      },
    }, problems: [...AUTH_PROBLEMS, ...QUERY_PROBLEMS],
  }),
  contract({
    method: "get", path: "/api/v1/cases/{ref}", operationId: "getCase", tag: "Procedimenti", security: "bearer", headers: [REASON_HEADER_DOC],
    summary: "Procedimento con scadenzari, scadenze e motivazioni; uno non visibile risponde 404 come uno inesistente",
    params: RefParam, query: HintQuery, responses: { 200: { description: "Procedimento", schema: CaseViewSchema } }, problems: [...AUTH_PROBLEMS, ...QUERY_PROBLEMS, "not_found", "ambiguous_case"],
  }),
];
