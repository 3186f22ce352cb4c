/** GET /api/v1/offices/{id}/deadlines?status=open — an office's deadlines, soonest first. */
import { REASON_HEADER_DOC, requestReason } from "../http/reason.js";
import * as z from "zod";
import { requireOffice } from "../auth/principal.js";
import { centralDb } from "../db/districts.js";
import { deadlinesAcross } from "../domain/districts/district-reads.js";
import { directory } from "../db/directory.js";
import { DEADLINE_STATUSES, type DeadlineWalk } from "../db/cases.js";
import { ApiError } from "../http/problem.js";
import { apiCasePath } from "../lib/case-link.js";
import { integerParam, parseQuery } from "../http/query.js";
import { AUTH_PROBLEMS, QUERY_PROBLEMS, contract } from "../http/contract.js";
import { createRouter } from "../http/router.js";

export const officeDeadlines = createRouter();

const Query = z.strictObject({
  status: z.enum(["open", "overdue", "upcoming", "met", "late", "closed", "all"]).default("open"),
  limit: integerParam(1, 500).default(100),
});

/** Which index walks a status filter is (see deadlinesOfOffices). */
function walk(status: z.output<typeof Query>["status"], now: number): Omit<DeadlineWalk, "limit"> {
  switch (status) {
    case "open": return { statuses: ["open"] };
    case "overdue": return { statuses: ["open"], dueBy: now };
    case "upcoming": return { statuses: ["open"], dueAfter: now };
    case "met": return { statuses: ["met"] };
    // A lapse is a term not kept, and a closed deadline.
    case "late": return { statuses: ["late", "lapsed"] };
    case "closed": return { statuses: ["met", "late", "lapsed"] };
    case "all": return { statuses: DEADLINE_STATUSES };
  }
}

officeDeadlines.get("/:id/deadlines", async (c) => {
  const now = Date.now();
  const p = c.get("principal");
  const officeId = c.req.param("id");
  requireOffice(p, officeId);
  const dir = await directory(centralDb(c.env));
  if (dir.get(officeId) === undefined) throw new ApiError("not_found", `Ufficio ${officeId} non trovato`);
  const q = parseQuery(c, Query, { status: "open|overdue|upcoming|met|late|closed|all", limit: "1-500" });
  const rows = await deadlinesAcross(c.env, dir, [officeId], { ...walk(q.status, now), limit: q.limit }, {
    actor: p.id, action: "deadlines.listed", requestId: c.get("requestId"), detail: { office: officeId, status: q.status }, reason: requestReason(c),
  }, now);
  return c.json({
    office: officeId,
    status: q.status,
    deadlines: rows.map(({ d, ref, owner, timeline }) => ({
      id: d.id, caseRef: ref, timeline, stage: d.stage, dueAt: d.dueAt, dueDate: d.dueDate, status: d.status,
      overdue: d.status === "open" && now > d.dueAtMs, href: apiCasePath(ref, owner),
    })),
  });
});

export const officeDeadlinesContracts = [contract({
  method: "get", path: "/api/v1/offices/{id}/deadlines", operationId: "listOfficeDeadlines", tag: "Procedimenti", security: "bearer", headers: [REASON_HEADER_DOC], summary: "Scadenze di un ufficio, la più vicina per prima",
  params: z.object({ id: z.string().describe("Ufficio") }), query: Query,
  responses: {
    200: {
      description: "Scadenze",
      schema: z.object({
        office: z.string(), status: z.string(),
        deadlines: z.array(z.object({
          id: z.string(), caseRef: z.string(), timeline: z.string(), stage: z.string(), dueAt: z.string(), dueDate: z.string().nullable(),
          status: z.enum(DEADLINE_STATUSES), overdue: z.boolean(), href: z.string().describe("Il procedimento nell'API"),
        })),
      }),
    },
  }, problems: [...AUTH_PROBLEMS, ...QUERY_PROBLEMS, "not_found"],
})];
