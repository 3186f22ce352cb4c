/** POST /api/v1/cases/{ref}/events — staff record the same events the webhook carries. */
import { directory, recentDirectory } from "../db/directory.js";
import { centralDb } from "../db/districts.js";
import { applyEvent } from "../domain/events/apply-event.js";
import { CaseEventBody, CaseRef, HINT_HINTS, HintQuery } from "../domain/events/schemas.js";
import { pickVisible } from "../domain/cases/case-lookup.js";
import { readRoutedState } from "../domain/districts/event-route.js";
import { parseQuery, pathParam } from "../http/query.js";
import { jsonBody } from "../http/body.js";
import { ApiError } from "../http/problem.js";
import { AUTH_PROBLEMS, BODY_PROBLEMS, QUERY_PROBLEMS, contract } from "../http/contract.js";
import * as z from "zod";
import { EventResultSchema } from "../domain/events/schemas.js";
import { enabledBills, isTrigger } from "../timelines/catalog.js";
import { wakeAll } from "../workflows/wake.js";
import { createRouter } from "../http/router.js";
import { onCurrentDirectory } from "./first-look.js";

export const caseEvents = createRouter();

caseEvents.post("/:ref{.+}/events", async (c) => {
  const now = Date.now();
  const ref = pathParam(CaseRef, c.req.param("ref"), "ref");
  const key = c.req.header("Idempotency-Key");
  if (key !== undefined && !/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw new ApiError("invalid_parameter", "Idempotency-Key: da 1 a 200 caratteri stampabili", { parameter: "Idempotency-Key" });
  }
  const hint = parseQuery(c, HintQuery, HINT_HINTS);
  const body = await jsonBody(c.req.raw, CaseEventBody);
  const principal = c.get("principal");
  const idempotencyKey = `api:${principal.id}:${key ?? crypto.randomUUID()}`;
  // Absent and not visible are the same answer.
  const notFound = () => new ApiError("not_found", `Procedimento ${ref} non trovato`);
  const central = centralDb(c.env);
  const { db, state } = await onCurrentDirectory(central, await recentDirectory(central, now), now, (dir) => readRoutedState(c.env, dir, principal, { idempotencyKey, ref, hint }, {
    data: body.data, starts: isTrigger(body.type), missing: notFound,
  }));
  // The case was read with the event's state: visibility is checked on it, not read again.
  if (!isTrigger(body.type) && pickVisible(await directory(db, state.stamp, now), principal, ref, state.cases) === undefined) throw notFound();
  const { result, wake } = await applyEvent(db, principal, { ...body, caseRef: ref }, {
    idempotencyKey, now, requestId: c.get("requestId"), billEnabled: enabledBills(c.env.ENABLED_BILLS), appBaseUrl: c.env.APP_BASE_URL,
    caseHint: hint, read: { state },
  });
  await wakeAll(c.env, db, wake, now);
  return c.json(result, result.replayed ? 200 : 201);
});

/** What recording an event may refuse, here and at the webhook. */
export const EVENT_PROBLEMS = [
  ...BODY_PROBLEMS, "unknown_event_type", "timeline_disabled", "unknown_case", "unknown_event", "unknown_office", "event_in_future", "event_before_stage",
  "timeline_already_running", "no_running_timeline", "stage_not_started", "stage_closed", "concurrent_update", "suspension_used", "not_suspended", "idempotency_conflict",
  "wrong_district", "directory_behind",
] as const;

export const caseEventsContracts = [contract({
  method: "post", path: "/api/v1/cases/{ref}/events", operationId: "recordCaseEvent", tag: "Procedimenti", security: "bearer",
  summary: "Registra un evento del procedimento (gli stessi tipi del webhook); la stessa Idempotency-Key restituisce il primo esito",
  params: z.object({ ref: CaseRef }), query: HintQuery, body: CaseEventBody,
  headers: [{ name: "Idempotency-Key", required: false, description: "Da 1 a 200 caratteri stampabili: una ripetizione non registra nulla" }],
  responses: { 201: { description: "Evento registrato", schema: EventResultSchema }, 200: { description: "Ripetizione con la stessa chiave: il primo esito", schema: EventResultSchema } },
  problems: [...AUTH_PROBLEMS, ...QUERY_PROBLEMS, ...EVENT_PROBLEMS, "not_found", "ambiguous_case"],
})];
