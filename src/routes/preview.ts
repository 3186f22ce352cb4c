/**
 * POST /api/v1/deadlines/preview — the deadlines a sequence of events would
 * produce, with the engine's reasons. It runs the events through the same
 * code as a case, on a throwaway database (src/preview/room.ts): nothing is
 * created, and it computes only public rules, so it needs no credential.
 */
import { DEADLINE_STATUSES } from "../db/schema.js";
import * as z from "zod";
import { Instant } from "../domain/events/schemas.js";
import { parseInstant } from "../engine/instant.js";
import { isCalendarId } from "../engine/holidays.js";
import { jsonBody } from "../http/body.js";
import { ApiError } from "../http/problem.js";
import { BODY_PROBLEMS, contract } from "../http/contract.js";
import { enabledBills, getTimeline, isEnabled } from "../timelines/catalog.js";
import type { PreviewAnswer } from "../preview/room.js";
import { TimelineSchema, describeTimeline } from "./timelines.js";
import { createRouter } from "../http/router.js";

export const preview = createRouter();

const PreviewBody = z.strictObject({
  timeline: z.string().min(1).max(64),
  version: z.number().int().positive().optional(),
  calendar: z.string().refine(isCalendarId, "calendario sconosciuto").default("IT"),
  events: z.array(z.strictObject({
    type: z.string().min(1).max(64),
    occurredAt: Instant,
    /** As on a case; an amendment's eventId may be the position of the earlier event in this list. */
    data: z.record(z.string(), z.unknown()).optional(),
  })).min(1).max(50),
  /** Periods of a recurring or rolling stage that start by this instant are shown (default: the last event's). */
  until: Instant.optional(),
});

const ms = (text: string): number => (parseInstant(text) as { ms: number }).ms;

preview.post("/", async (c) => {
  const body = await jsonBody(c.req.raw, PreviewBody);
  const def = getTimeline(body.timeline, body.version);
  if (def === undefined) throw new ApiError("invalid_body", `timeline: scadenzario ${body.timeline} sconosciuto`, { parameter: "timeline" });
  if (body.events[0]!.type !== def.trigger) {
    throw new ApiError("invalid_body", `events.0.type: il primo evento deve avviare lo scadenzario (${def.trigger})`, { parameter: "events.0.type" });
  }
  const room = c.env.PREVIEW.get(c.env.PREVIEW.newUniqueId());
  // The RPC stub's types cannot express the problem's open-ended extras: the room's own type says what comes back.
  const answer = (await room.run({
    timeline: def.id, version: def.version, calendar: body.calendar, events: body.events, now: Date.now(),
    untilMs: body.until === undefined ? undefined : ms(body.until),
    bills: (c.env.ENABLED_BILLS ?? "").split(",").map((b) => b.trim()).filter(Boolean),
  })) as PreviewAnswer;
  if (!answer.ok) throw new ApiError(answer.code, answer.detail, answer.extra);
  const { deadlines, closed } = answer.result;
  return c.json({ timeline: describeTimeline(def, isEnabled(def, enabledBills(c.env.ENABLED_BILLS))), deadlines, closed, created: false });
});

const PreviewAnswerSchema = z.object({
  timeline: TimelineSchema,
  deadlines: z.array(z.object({
    stage: z.string(), seq: z.number().int().describe("Periodo di una fase ricorrente"), title: z.string(), basis: z.string(), office: z.string().describe("Ruolo dell'ufficio tenuto"),
    startedAt: z.string(), dueAt: z.string(), dueDate: z.string().nullable(), status: z.enum(DEADLINE_STATUSES), outcome: z.string().nullable(),
    why: z.object({}).loose().describe("La motivazione: fonte, termine, passi del calcolo (steps) in italiano"),
    rungs: z.array(z.object({ rung: z.string(), kind: z.enum(["reminder", "escalation"]), level: z.number().int(), sendAt: z.string(), status: z.string() })),
  })),
  closed: z.boolean(),
  created: z.literal(false),
});

export const previewContracts = [contract({
  method: "post", path: "/api/v1/deadlines/preview", operationId: "previewDeadlines", tag: "Scadenzari",
  summary: "Le scadenze che una sequenza di eventi produrrebbe, con le motivazioni; non crea nulla (pubblico)",
  body: PreviewBody, responses: { 200: { description: "Anteprima: scadenzario, scadenze, se si chiude; created è sempre false", schema: PreviewAnswerSchema } },
  problems: [...BODY_PROBLEMS, "unknown_event_type", "timeline_disabled", "unknown_event", "unknown_office", "event_in_future", "event_before_stage", "no_running_timeline", "stage_not_started", "stage_closed", "suspension_used", "not_suspended"],
})];
