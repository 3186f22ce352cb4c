/** GET /api/v1/offices/{id}/deadlines?status=open — an office's deadlines, soonest first. */
import { and, asc, eq, gt, inArray, lte, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env.js";
import { requireOffice } from "../auth/principal.js";
import { audit } from "../db/audit.js";
import { database } from "../db/client.js";
import { getOffice } from "../db/directory.js";
import { cases, deadlines, timelineInstances } from "../db/schema.js";
import { ApiError } from "../http/problem.js";
import { apiCasePath } from "../lib/case-link.js";
import { integerParam, parseQuery } from "../http/query.js";

export const officeDeadlines = new Hono<AppEnv>();

const Query = z.strictObject({
  status: z.enum(["open", "overdue", "upcoming", "met", "late", "closed", "all"]).default("open"),
  limit: integerParam(1, 500).default(100),
});

function filter(status: z.output<typeof Query>["status"], now: number): SQL | undefined {
  switch (status) {
    case "open": return eq(deadlines.status, "open");
    case "overdue": return and(eq(deadlines.status, "open"), lte(deadlines.dueAtMs, now));
    case "upcoming": return and(eq(deadlines.status, "open"), gt(deadlines.dueAtMs, now));
    case "met": return eq(deadlines.status, "met");
    case "late": return eq(deadlines.status, "late");
    case "closed": return inArray(deadlines.status, ["met", "late"]);
    case "all": return undefined;
  }
}

officeDeadlines.get("/:id/deadlines", async (c) => {
  const now = Date.now();
  const db = database(c.env.DB);
  const p = c.get("principal");
  const officeId = c.req.param("id");
  requireOffice(p, officeId);
  if ((await getOffice(db, officeId)) === undefined) throw new ApiError("not_found", `Ufficio ${officeId} non trovato`);
  const q = parseQuery(c, Query, { status: "open|overdue|upcoming|met|late|closed|all", limit: "1-500" });
  const rows = await db
    .select({ d: deadlines, ref: cases.ref, owner: cases.ownerOfficeId, caseId: cases.id, timeline: timelineInstances.timeline })
    .from(deadlines)
    .innerJoin(timelineInstances, eq(timelineInstances.id, deadlines.instanceId))
    .innerJoin(cases, eq(cases.id, timelineInstances.caseId))
    .where(and(eq(deadlines.officeId, officeId), filter(q.status, now)))
    .orderBy(asc(deadlines.dueAtMs))
    .limit(q.limit)
    .all();
  await audit(db, {
    actor: p.id, action: "deadlines.listed", caseId: null, requestId: c.get("requestId"),
    detail: { office: officeId, status: q.status, cases: [...new Set(rows.map((r) => r.caseId))] },
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
