/**
 * Delivers one outbound event to one subscription. The timeline's
 * workflow, the cron sweep and an administrator's "riprova" all call this,
 * as often as they like:
 * - the row is claimed first, and only while the subscription has fewer
 *   than its parallelism in flight, so an office's server is never flooded;
 * - each attempt is signed afresh (Standard Webhooks: webhook-id is the
 *   event's, the same on every attempt; the timestamp is the attempt's, so
 *   a receiver's five-minute tolerance holds on a retry hours later);
 * - a failure leaves the row due again with backoff for a day, then in the
 *   dead-letter queue (status dead), replayable; never dropped;
 * - an endpoint failing for an hour is flagged to the administrators and
 *   its office, once per run of failures; after five days, disabled.
 * Beside the signature, headers name the event type, the delivery and the
 * attempt, for a receiver to route on without parsing the body.
 */
import { type Directory, type Subscription, directory } from "../db/directory.js";
import { commitHeld } from "../db/delivery.js";
import { type HeldDelivery, attemptInsert, claimDelivery, disclosureInsert, deliveryAttemptAt, getDelivery, settleDelivery, subscriptionHealth } from "../db/outbound.js";
import { OUTBOUND_REASON } from "../domain/access/access-reason.js";
import { sign } from "../auth/standard-webhooks.js";
import { afterFailure } from "../notify/retry.js";
import type { OutboundContext, OutboundOutcome } from "./context.js";
import { publishOne } from "./publish.js";
import { endpointProblem } from "./endpoint.js";
import { abandon, failed, skip } from "./settle.js";

export type { OutboundOutcome } from "./context.js";

const USER_AGENT = "Termini-Webhooks/1 (+https://www.standardwebhooks.com)";

/** The three Standard Webhooks headers: one signature per valid secret (two during a rotation). */
export async function signedHeaders(eventId: string, secrets: readonly string[], at: number, body: string): Promise<Record<string, string>> {
  const ts = Math.floor(at / 1000);
  const signatures = await Promise.all(secrets.map((s) => sign(s, eventId, ts, body)));
  return { "webhook-id": eventId, "webhook-timestamp": String(ts), "webhook-signature": signatures.join(" ") };
}

/** What a receiver can route on without parsing the body, beside the signature's three. */
export function routingHeaders(kind: string, deliveryId: string, attempt: number): Record<string, string> {
  return { "termini-event-type": kind, "termini-delivery": deliveryId, "termini-delivery-attempt": String(attempt) };
}

interface Answer {
  ok: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
  retryAfterMs?: number;
  /** The start of the answer's body, for the subscriber to see why it refused. */
  response: string | null;
}

/** Most of the answer's body kept: enough for an error message, never a whole page. */
const RESPONSE_KEPT = 1024;

/** The first RESPONSE_KEPT bytes of a body as text (control characters dropped), the rest never read. */
async function answerStart(res: Response): Promise<string | null> {
  if (res.body === null) return null;
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_KEPT) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const p of parts) bytes.set(p, (at += p.byteLength) - p.byteLength);
  const text = new TextDecoder().decode(bytes.slice(0, RESPONSE_KEPT)).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "").trim();
  return text === "" ? null : text;
}

/** One POST, bounded by the timeout; of the answer's body only its start is read (it may hold anything). */
export async function post(url: string, headers: Record<string, string>, body: string, timeoutMs: number, clock: () => number): Promise<Answer> {
  const started = clock();
  try {
    const res = await fetch(url, {
      method: "POST", body, redirect: "manual", signal: AbortSignal.timeout(timeoutMs),
      headers: { "content-type": "application/json", "user-agent": USER_AGENT, ...headers },
    });
    const ok = res.status >= 200 && res.status < 300;
    // Only a refusal's answer is kept (to say why): a receiver's 2xx may echo the event back.
    const response = ok ? (await res.body?.cancel(), null) : await answerStart(res).catch(() => null);
    const retryAfter = Number(res.headers.get("retry-after"));
    return {
      ok, status: res.status, error: ok ? null : `HTTP ${res.status}`, durationMs: clock() - started, response,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
    };
  } catch (e) {
    const name = e instanceof Error ? e.name : "Error";
    return { ok: false, status: null, error: name === "TimeoutError" || name === "AbortError" ? "nessuna risposta entro il tempo massimo" : "connessione non riuscita", durationMs: clock() - started, response: null };
  }
}

export async function deliverOutbound(ctx: OutboundContext, id: string, asOf: number): Promise<OutboundOutcome> {
  const { db } = ctx;
  // Through QStash, publishing is quick and QStash's flow control keeps the parallelism at the endpoint.
  const [dir, held] = await Promise.all([directory(db), claimDelivery(db, id, Math.max(ctx.now(), asOf), ctx.staleMs, ctx.qstash !== null)]);
  if (held === null) return unclaimed(ctx, id, asOf);
  const sub = dir.subscription(held.subscriptionId);
  if (sub === undefined && dir.isOff(held.subscriptionId)) return skip(ctx, held);
  if (sub === undefined || held.body === null) return abandon(ctx, held);
  // Checked again as it is used: an address stored before a rule existed never receives anything.
  const refused = endpointProblem(sub.url, ctx.local);
  if (refused !== null) return abandon(ctx, held, `endpoint non consentito: ${refused}`);
  if (ctx.qstash !== null) return publishOne(ctx, ctx.qstash, sub, held, held.body);
  const at = ctx.now();
  // Signed at the wall clock's time: the receiver compares it with its own (the plan's instant may run ahead of it in a test).
  const headers = { ...await signedHeaders(held.eventId, dir.signingSecrets(sub.id, at), Date.now(), held.body), ...routingHeaders(held.kind, held.id, held.attempts) };
  const answer = await post(sub.url, headers, held.body, ctx.timeoutMs, ctx.now);
  return record(ctx, dir, sub, held, answer);
}

/** Why a row was not taken: done already, not yet due, or its subscription at its parallelism. */
async function unclaimed(ctx: OutboundContext, id: string, asOf: number): Promise<OutboundOutcome> {
  const row = await getDelivery(ctx.db, id);
  if (row === undefined) throw new Error(`no outbound delivery ${id}`);
  if (row.status !== "pending" && row.status !== "sending") return "already-done";
  return deliveryAttemptAt(row, ctx.staleMs) > Math.max(ctx.now(), asOf) ? "not-due" : "busy";
}

async function record(ctx: OutboundContext, dir: Directory, sub: Subscription, held: HeldDelivery, a: Answer): Promise<OutboundOutcome> {
  const { db } = ctx;
  const at = ctx.now();
  const attempt = attemptInsert(db, held.id, at, { via: "direct", status: a.status, durationMs: a.durationMs, error: a.error, response: a.response });
  if (a.ok) {
    const took = await commitHeld(db, [
      attempt, subscriptionHealth(db, sub.id, true, at), disclosureInsert(db, held, sub, OUTBOUND_REASON, at, held),
      settleDelivery(db, held, { status: "delivered", lastStatus: a.status, lastError: null, lastResponse: a.response, deliveredAt: at }),
    ]);
    return took ? "delivered" : "already-done";
  }
  const firstFailedAt = held.firstFailedAt ?? at;
  const next = afterFailure(ctx.retry, { error: a.error ?? "", retryable: true, retryAfterMs: a.retryAfterMs }, held.attempts, firstFailedAt, at);
  const took = await commitHeld(db, [
    attempt, subscriptionHealth(db, sub.id, false, at),
    settleDelivery(db, held, {
      status: next.retryAt === null ? "dead" : "pending", dueAt: next.retryAt ?? undefined, firstFailedAt, lastStatus: a.status, lastError: a.error, lastResponse: a.response,
    }),
  ]);
  if (!took) return "already-done";
  console.error(JSON.stringify({ level: "warn", action: "webhook.delivery-failed", deliveryId: held.id, status: a.status, attempts: held.attempts, retryAt: next.retryAt }));
  await failed(ctx, dir, sub, a.error ?? "", at);
  return next.retryAt === null ? "dead" : "retrying";
}
