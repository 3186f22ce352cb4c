/** Cases: create, list (the caller's offices only), and read one with its timelines. */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app.js";
import { requireCaseAccess } from "../auth/principal.js";
import { audit, auditInsert } from "../db/audit.js";
import { casesOfOffices, findCase } from "../db/cases.js";
import { database } from "../db/client.js";
import { getOffice } from "../db/directory.js";
import { caseOffices, cases } from "../db/schema.js";
import { caseView } from "../domain/case-view.js";
import { CaseRef, CreateCaseBody } from "../domain/schemas.js";
import { jsonBody, validate } from "../http/body.js";
import { ApiError } from "../http/problem.js";
import { integerParam, parseQuery } from "../http/query.js";
import { latest } from "../timelines/catalog.js";

export const caseRoutes = new Hono<AppEnv>();

/** role → the directory kind of office that fills it, across the catalogue. */
const ROLE_KINDS: Record<string, string> = Object.assign({}, ...latest().map((t) => t.roles));

caseRoutes.post("/", async (c) => {
  const now = Date.now();
  const db = database(c.env.DB);
  const p = c.get("principal");
  const body = await jsonBody(c.req.raw, CreateCaseBody);
  if ((await findCase(db, body.ref)) !== undefined) throw new ApiError("case_exists", `Il procedimento ${body.ref} è già registrato`);
  const entries = Object.entries(body.offices) as [string, string][];
  for (const [role, id] of entries) {
    const office = await getOffice(db, id);
    const parameter = `offices.${role}`;
    if (office === undefined) throw new ApiError("unknown_office", `${parameter}: ufficio ${id} non presente in rubrica`, { parameter });
    if (office.kind !== ROLE_KINDS[role]) throw new ApiError("unknown_office", `${parameter}: l'ufficio ${id} non è di tipo ${role}`, { parameter });
  }
  if (p.role !== "admin" && !entries.some(([, id]) => p.offices.has(id))) {
    throw new ApiError("forbidden", "Il procedimento deve riguardare almeno un ufficio della credenziale");
  }
  const id = crypto.randomUUID();
  await db.batch([
    db.insert(cases).values({ id, ref: body.ref, createdAt: now, createdBy: p.id }),
    ...entries.map(([role, officeId]) => db.insert(caseOffices).values({ caseId: id, officeId, role })),
    auditInsert(db, { actor: p.id, action: "case.created", caseId: id, detail: { ref: body.ref, offices: body.offices }, requestId: c.get("requestId") }, now),
  ]);
  return c.json({ ref: body.ref, offices: body.offices, createdAt: new Date(now).toISOString() }, 201, {
    Location: `/api/v1/cases/${encodeURIComponent(body.ref)}`,
  });
});

const ListQuery = z.strictObject({
  limit: integerParam(1, 200).default(50),
  before: integerParam(1, Number.MAX_SAFE_INTEGER).optional(),
});

caseRoutes.get("/", async (c) => {
  const db = database(c.env.DB);
  const p = c.get("principal");
  const q = parseQuery(c, ListQuery, { limit: "1-200", before: "createdAt in ms, for the next page" });
  const rows = await casesOfOffices(db, p.role === "admin" ? "all" : [...p.offices], q.limit, q.before);
  await audit(db, { actor: p.id, action: "cases.listed", caseId: null, detail: { cases: rows.map((r) => r.id) }, requestId: c.get("requestId") }, Date.now());
  const last = rows[rows.length - 1];
  return c.json({
    cases: rows.map((r) => ({ ref: r.ref, createdAt: new Date(r.createdAt).toISOString(), href: `/api/v1/cases/${encodeURIComponent(r.ref)}` })),
    next: rows.length === q.limit && last !== undefined ? `/api/v1/cases?limit=${q.limit}&before=${last.createdAt}` : null,
  });
});

caseRoutes.get("/:ref{.+}", async (c) => {
  const db = database(c.env.DB);
  const p = c.get("principal");
  const ref = validate(CaseRef, c.req.param("ref"));
  const found = await findCase(db, ref);
  if (found === undefined) throw new ApiError("not_found", `Procedimento ${ref} non trovato`);
  await requireCaseAccess(db, p, found.id);
  const view = await caseView(db, found, Date.now());
  await audit(db, { actor: p.id, action: "case.read", caseId: found.id, detail: { ref }, requestId: c.get("requestId") }, Date.now());
  return c.json(view);
});
