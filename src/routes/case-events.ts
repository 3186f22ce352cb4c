/** POST /api/v1/cases/{ref}/events — staff record the same events the webhook carries. */
import { Hono } from "hono";
import type { AppEnv } from "../env.js";
import { database } from "../db/client.js";
import { applyEvent } from "../domain/apply-event.js";
import { CaseEventBody, CaseRef, HINT_HINTS, HintQuery } from "../domain/schemas.js";
import { requireVisibleCase } from "../domain/case-lookup.js";
import { parseQuery } from "../http/query.js";
import { jsonBody, validate } from "../http/body.js";
import { ApiError } from "../http/problem.js";
import { enabledBills, isTrigger } from "../timelines/catalog.js";
import { wakeAll } from "../workflows/wake.js";

export const caseEvents = new Hono<AppEnv>();

caseEvents.post("/:ref{.+}/events", async (c) => {
  const now = Date.now();
  const db = database(c.env.DB);
  const ref = validate(CaseRef, c.req.param("ref"));
  const key = c.req.header("Idempotency-Key");
  if (key !== undefined && !/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw new ApiError("invalid_parameter", "Idempotency-Key: da 1 a 200 caratteri stampabili", { parameter: "Idempotency-Key" });
  }
  const hint = parseQuery(c, HintQuery, HINT_HINTS);
  const body = await jsonBody(c.req.raw, CaseEventBody);
  const principal = c.get("principal");
  // Absent and not visible are the same answer.
  if (!isTrigger(body.type)) await requireVisibleCase(db, principal, ref, hint);
  const { result, wake } = await applyEvent(db, principal, { ...body, caseRef: ref }, {
    idempotencyKey: `api:${principal.id}:${key ?? crypto.randomUUID()}`, now, requestId: c.get("requestId"), billEnabled: enabledBills(c.env.ENABLED_BILLS), appBaseUrl: c.env.APP_BASE_URL,
    caseHint: hint,
  });
  await wakeAll(c.env, db, wake, now);
  return c.json(result, result.replayed ? 200 : 201);
});
