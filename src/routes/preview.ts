/**
 * POST /api/v1/deadlines/preview — the deadlines a sequence of events would
 * produce, with the engine's reasons. Creates nothing; computes only public
 * rules, so it needs no credential.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env.js";
import { Instant } from "../domain/schemas.js";
import { parseInstant } from "../engine/instant.js";
import { isCalendarId } from "../engine/holidays.js";
import { jsonBody } from "../http/body.js";
import { ApiError } from "../http/problem.js";
import { enabledBills, getTimeline, isEnabled } from "../timelines/catalog.js";
import { type SimFailure, simulate } from "../timelines/simulate.js";
import { describeTimeline } from "./timelines.js";

export const preview = new Hono<AppEnv>();

export const PreviewBody = z.strictObject({
  timeline: z.string().min(1).max(64),
  version: z.number().int().positive().optional(),
  calendar: z.string().refine(isCalendarId, "calendario sconosciuto").default("IT"),
  events: z.array(z.strictObject({ type: z.string().min(1).max(64), occurredAt: Instant, data: z.record(z.string(), z.unknown()).optional() })).min(1).max(50),
});

const WHY: Record<SimFailure["reason"], string> = {
  "not-a-trigger": "il primo evento deve avviare lo scadenzario",
  "unknown-event": "evento non previsto da questo scadenzario",
  "stage-not-started": "chiude una fase non ancora iniziata",
  "stage-closed": "riguarda una fase già chiusa o già avviata",
  "out-of-range": "data fuori dall'intervallo supportato",
};

preview.post("/", async (c) => {
  const body = await jsonBody(c.req.raw, PreviewBody);
  const def = getTimeline(body.timeline, body.version);
  if (def === undefined) throw new ApiError("invalid_body", `timeline: scadenzario ${body.timeline} sconosciuto`, { parameter: "timeline" });
  const events = body.events.map((e) => ({ type: e.type, occurredAt: e.occurredAt, data: e.data, at: (parseInstant(e.occurredAt) as { ms: number }).ms }));
  const r = simulate(def, events, body.calendar);
  if (!r.ok) {
    const parameter = `events.${r.failure.index}.type`;
    throw new ApiError("invalid_body", `${parameter}: ${WHY[r.failure.reason]}`, { parameter });
  }
  return c.json({ timeline: describeTimeline(def, isEnabled(def, enabledBills(c.env.ENABLED_BILLS))), deadlines: r.deadlines, closed: r.closed, created: false });
});
