/**
 * POST /webhooks/events — events from centres' and offices' systems,
 * signed per Standard Webhooks. A repeated webhook-id gets the first
 * response back and changes nothing.
 */
import type { Principal } from "../auth/principal.js";
import { type SignedHeaders, type VerifyFailure, verify } from "../auth/standard-webhooks.js";
import { type Directory, recentDirectory } from "../db/directory.js";
import { centralDb } from "../db/districts.js";
import { firstResponse, recordResponse } from "../db/webhooks.js";
import { applyEvent } from "../domain/events/apply-event.js";
import { readRoutedState } from "../domain/districts/event-route.js";
import { EventResultSchema, WebhookEventBody } from "../domain/events/schemas.js";
import { contract } from "../http/contract.js";
import { EVENT_PROBLEMS } from "./case-events.js";
import { parseJson, readJsonText } from "../http/body.js";
import { ApiError, PROBLEMS, problemBody, refusalOf } from "../http/problem.js";
import { enabledBills, isTrigger } from "../timelines/catalog.js";
import { wakeAll } from "../workflows/wake.js";
import { createRouter } from "../http/router.js";
import { onCurrentDirectory } from "./first-look.js";
import { checked } from "../domain/failure.js";

export const webhooks = createRouter();

const WEBHOOK_ID = /^[\x21-\x7e]{1,256}$/;

const REFUSAL: Record<VerifyFailure["reason"], [ApiError["code"], string]> = {
  "missing-headers": ["webhook_signature_missing", "Intestazioni webhook-id, webhook-timestamp e webhook-signature richieste"],
  "bad-timestamp": ["webhook_signature_invalid", "webhook-timestamp deve essere in secondi Unix"],
  "stale-timestamp": ["webhook_timestamp_stale", "webhook-timestamp differisce di oltre 5 minuti dall'ora del server"],
  "no-matching-signature": ["webhook_signature_invalid", "Nessuna firma corrisponde a un segreto attivo"],
};

/** The sender whose active secret signed the request, with its offices and trusted events. */
function signer(h: SignedHeaders, text: string, now: number) {
  return async (dir: Directory): Promise<Principal> => {
    const v = await verify(h, text, dir.activeSecrets(now), Math.floor(now / 1000));
    if (!v.ok) throw new ApiError(...REFUSAL[v.failure.reason]);
    return { id: `sender:${v.senderId}`, role: "sender", offices: dir.senderOffices(v.senderId), trustedEvents: dir.senderTrustedEvents(v.senderId) };
  };
}

webhooks.post("/events", async (c) => {
  const now = Date.now();
  // The central database until the event's district is known; a refusal before that is recorded there.
  let db = centralDb(c.env);
  const id = c.req.header("webhook-id") ?? null;
  // The id is stored and compared: bounded, printable, like an idempotency key.
  if (id !== null && !WEBHOOK_ID.test(id)) {
    throw new ApiError("invalid_parameter", "webhook-id: da 1 a 256 caratteri ASCII stampabili", { parameter: "webhook-id" });
  }
  const text = await readJsonText(c.req.raw);
  const sign = signer({ id, timestamp: c.req.header("webhook-timestamp") ?? null, signature: c.req.header("webhook-signature") ?? null }, text, now);
  // First with the directory in memory (no round trip); a signature it refuses is checked once
  // more against the database's directory (a secret created a moment ago).
  const { dir, principal } = await onCurrentDirectory(db, await recentDirectory(db, now), now, async (d) => ({ dir: d, principal: await sign(d) }));
  const senderId = principal.id.slice("sender:".length);
  const webhookId = id!;
  const answer = (first: { status: number; body: string }) =>
    c.body(first.body, first.status as 200, { "Content-Type": first.status < 300 ? "application/json" : "application/problem+json", "Webhook-Replayed": "true" });
  const replay = async () => {
    const first = await firstResponse(db, senderId, webhookId);
    return first === undefined ? undefined : answer(first);
  };

  try {
    const { caseOffice, ...body } = checked(WebhookEventBody, parseJson(text));
    const idempotencyKey = `webhook:${senderId}:${webhookId}`;
    const caseHint = caseOffice === undefined ? {} : { office: caseOffice };
    // One read for everything, in the case's district: the first response to this delivery, the case, its timelines, the directory's stamp.
    // A refusal on the copy in memory is asked once more of the database (the sender's office created a moment ago).
    const route = async (d: Directory) => {
      const p = d === dir ? principal : await sign(d);
      const routed = await readRoutedState(c.env, d, p, { idempotencyKey, ref: body.caseRef, hint: caseHint, delivery: { senderId, webhookId } }, {
        data: body.data, starts: isTrigger(body.type),
        missing: () => new ApiError("unknown_case", `caseRef: procedimento ${body.caseRef} sconosciuto`, { parameter: "caseRef" }),
      });
      return { ...routed, dir: d, principal: p };
    };
    const routed = await onCurrentDirectory(centralDb(c.env), dir, now, route);
    db = routed.db;
    const state = routed.state;
    if (state.firstResponse !== undefined) return answer(state.firstResponse);
    const { result, wake } = await applyEvent(db, sign, body, {
      caseHint, idempotencyKey, now, requestId: c.get("requestId"), billEnabled: enabledBills(c.env.ENABLED_BILLS), appBaseUrl: c.env.APP_BASE_URL,
      read: { state, dir: routed.dir, principal: routed.principal },
      extra: (r) => [recordResponse(db, senderId, webhookId, 201, JSON.stringify(r), now)],
    });
    // Recorded by a concurrent delivery of the same id after our first look: its response.
    if (result.replayed) return (await replay()) ?? c.json(result, 201);
    await wakeAll(c.env, db, wake, now);
    return c.json(result, 201);
  } catch (err) {
    // A refusal is the first response too, the sender's retry getting the same answer; not a
    // passing unavailability (503), which the retry is meant to get past.
    const refused = refusalOf(err);
    if (refused !== undefined && PROBLEMS[refused.code].status < 500) {
      const { status, body } = problemBody(c, refused.code, refused.detail, refused.extra);
      const mine = JSON.stringify(body);
      await recordResponse(db, senderId, webhookId, status, mine, now).run();
      // A concurrent delivery of the same id may have answered first (its batch made ours
      // fail): every duplicate gets that first response, never a refusal of its own.
      const first = await firstResponse(db, senderId, webhookId);
      if (first !== undefined && first.body !== mine) return answer(first);
      throw err;
    }
    const raced = await replay();
    if (raced !== undefined) return raced;
    throw err;
  }
});

export const webhooksContracts = [contract({
  method: "post", path: "/webhooks/events", operationId: "receiveEvent", tag: "Webhook", security: "webhook",
  summary: "Evento firmato (Standard Webhooks) dal sistema di un centro o di un ufficio; lo stesso webhook-id riceve sempre la prima risposta",
  headers: [
    { name: "webhook-id", required: true, description: "Identificativo del messaggio, da 1 a 256 caratteri ASCII stampabili" },
    { name: "webhook-timestamp", required: true, description: "Secondi Unix, entro 5 minuti dall'ora del server" },
    { name: "webhook-signature", required: true, description: "v1,<base64 HMAC-SHA256 di id.timestamp.corpo>; più firme separate da spazio" },
  ],
  body: WebhookEventBody,
  responses: { 201: { description: "Evento registrato (una ripetizione: la prima risposta, con Webhook-Replayed: true)", schema: EventResultSchema, headers: ["Webhook-Replayed"] } },
  problems: ["webhook_signature_missing", "webhook_signature_invalid", "webhook_timestamp_stale", "forbidden", "invalid_parameter", ...EVENT_PROBLEMS],
})];
