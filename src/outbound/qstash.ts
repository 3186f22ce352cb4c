/**
 * Publishing outbound deliveries through Upstash QStash, with the headers
 * the `@upstash/qstash` SDK sends (processHeaders in its source):
 * - Upstash-Deduplication-Id: the delivery row's id, so a publish whose
 *   answer was lost and is tried again creates no second message;
 * - Upstash-Retries, Upstash-Timeout: QStash retries over hours (its own
 *   backoff) and then keeps the message in its dead-letter queue;
 * - Upstash-Flow-Control-Key / -Value: per subscription, its parallelism
 *   and rate, so that an office's server is never flooded;
 * - Upstash-Callback / Upstash-Failure-Callback: Termini records the outcome.
 *
 * QStash delivers to Termini's relay, which signs the event afresh and
 * forwards it: a Standard Webhooks timestamp must be within five minutes of
 * the receiver's clock, and QStash's later retries come hours after the
 * publish, so the signature cannot be made at publish time. The relay
 * holds one request while the endpoint answers (bounded by the timeout);
 * no workflow step waits for an endpoint.
 */
import type { Bindings } from "../env.js";

const QSTASH_DEFAULT_URL = "https://qstash.upstash.io";
/** QStash's own retries after the first attempt (its backoff reaches a day at the fifth). */
export const QSTASH_RETRIES = 5;

export interface QStashConfig {
  token: string;
  baseUrl: string;
  /** Where QStash reaches Termini: the relay and the callbacks. */
  appBaseUrl: string;
  timeoutMs: number;
  /** After each of those paths: which district's database holds the delivery ("?district=TO"; "" in the single layout). */
  query: string;
}

export function qstashConfig(env: Bindings, timeoutMs: number, district: string | null = null): QStashConfig | null {
  if (!env.QSTASH_TOKEN) return null;
  return {
    token: env.QSTASH_TOKEN, baseUrl: (env.QSTASH_URL || QSTASH_DEFAULT_URL).replace(/\/$/, ""), appBaseUrl: env.APP_BASE_URL, timeoutMs,
    query: district === null ? "" : `?district=${district}`,
  };
}

export const relayPath = "/webhooks/qstash/relay";
export const callbackPath = "/webhooks/qstash/callback";
export const failurePath = "/webhooks/qstash/failure";
/** The header QStash forwards to the relay: which delivery this message is. */
export const DELIVERY_HEADER = "Termini-Delivery";

export type PublishResult = { ok: true; messageId: string } | { ok: false; error: string; status: number | null };

export interface Publication {
  deliveryId: string;
  /** Distinct per republication of a delivery (a replay): QStash deduplicates on it. */
  deduplicationId: string;
  body: string;
  flow: { key: string; parallelism: number; rate: number };
}

async function call(cfg: QStashConfig, path: string, init: RequestInit): Promise<{ status: number; json: unknown } | { error: string }> {
  try {
    const res = await fetch(`${cfg.baseUrl}${path}`, {
      ...init, signal: AbortSignal.timeout(cfg.timeoutMs), headers: { Authorization: `Bearer ${cfg.token}`, ...init.headers },
    });
    const text = await res.text();
    return { status: res.status, json: text === "" ? null : JSON.parse(text) };
  } catch (e) {
    return { error: e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError") ? "QStash non ha risposto entro il tempo massimo" : "QStash non raggiungibile" };
  }
}

function publishHeaders(cfg: QStashConfig, p: Publication): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "Upstash-Method": "POST",
    "Upstash-Deduplication-Id": p.deduplicationId,
    "Upstash-Retries": String(QSTASH_RETRIES),
    "Upstash-Timeout": `${Math.ceil(cfg.timeoutMs / 1000) + 5}s`,
    "Upstash-Callback": cfg.appBaseUrl + callbackPath + cfg.query,
    "Upstash-Failure-Callback": cfg.appBaseUrl + failurePath + cfg.query,
    "Upstash-Flow-Control-Key": p.flow.key,
    "Upstash-Flow-Control-Value": `parallelism=${p.flow.parallelism}, rate=${p.flow.rate}`,
    [`Upstash-Forward-${DELIVERY_HEADER}`]: p.deliveryId,
  };
}

function accepted(status: number, json: unknown): PublishResult {
  const messageId = (json as { messageId?: unknown } | null)?.messageId;
  if (status < 300 && typeof messageId === "string") return { ok: true, messageId };
  // A batch answers 2xx with an error in place of a refused message.
  const error = (json as { error?: unknown } | null)?.error;
  return { ok: false, error: status < 300 && typeof error === "string" ? `QStash ha rifiutato il messaggio: ${error}` : `QStash ha risposto ${status}`, status };
}

export async function publish(cfg: QStashConfig, p: Publication): Promise<PublishResult> {
  const r = await call(cfg, `/v2/publish/${cfg.appBaseUrl + relayPath + cfg.query}`, { method: "POST", body: p.body, headers: publishHeaders(cfg, p) });
  return "error" in r ? { ok: false, error: r.error, status: null } : accepted(r.status, r.json);
}

/** Most messages in one batch request. */
export const QSTASH_BATCH = 100;

/**
 * Many publications in one request (POST /v2/batch, as the SDK's batch()
 * sends it): one answer per message, in order; QStash sends the rest when
 * one message fails.
 */
export async function publishBatch(cfg: QStashConfig, ps: readonly Publication[]): Promise<PublishResult[]> {
  const destination = cfg.appBaseUrl + relayPath + cfg.query;
  const r = await call(cfg, "/v2/batch", {
    method: "POST", headers: { "Content-Type": "application/json" },
    // Header names lowercased, as the SDK writes them into a batch (it reads them off a Headers object).
    body: JSON.stringify(ps.map((p) => ({ destination, headers: Object.fromEntries(Object.entries(publishHeaders(cfg, p)).map(([k, v]) => [k.toLowerCase(), v])), body: p.body }))),
  });
  if ("error" in r) return ps.map(() => ({ ok: false, error: r.error, status: null }));
  if (r.status >= 300 || !Array.isArray(r.json) || r.json.length !== ps.length) {
    const error = r.status >= 300 ? `QStash ha risposto ${r.status}` : "QStash ha dato una risposta inattesa";
    return ps.map(() => ({ ok: false, error, status: r.status }));
  }
  return r.json.map((one: unknown) => accepted(r.status, one));
}

/**
 * Where QStash has a message whose outcome Termini never heard of:
 * - queued: still being delivered or retried (GET /v2/messages/{id} finds it);
 * - dead: in its dead-letter queue (GET /v2/dlq?messageId=…), with its dlqId;
 * - gone: neither (removed from the queue by hand, or a callback and the relay's record both lost).
 */
export type MessageWhereabouts = { at: "queued" } | { at: "dead"; dlqId: string } | { at: "gone" } | { at: "unknown"; error: string };

export async function whereabouts(cfg: QStashConfig, messageId: string): Promise<MessageWhereabouts> {
  const m = await call(cfg, `/v2/messages/${encodeURIComponent(messageId)}`, { method: "GET" });
  if ("error" in m) return { at: "unknown", error: m.error };
  if (m.status === 200) return { at: "queued" };
  if (m.status !== 404) return { at: "unknown", error: `QStash ha risposto ${m.status}` };
  const d = await call(cfg, `/v2/dlq?messageId=${encodeURIComponent(messageId)}`, { method: "GET" });
  if ("error" in d) return { at: "unknown", error: d.error };
  if (d.status !== 200) return { at: "unknown", error: `QStash ha risposto ${d.status}` };
  const entry = (d.json as { messages?: { messageId?: string; dlqId?: string }[] } | null)?.messages?.find((x) => x.messageId === messageId);
  return entry?.dlqId === undefined ? { at: "gone" } : { at: "dead", dlqId: entry.dlqId };
}

/** Takes a message out of QStash's dead-letter queue and delivers it again: its new message id. */
export async function retryFromDlq(cfg: QStashConfig, dlqId: string): Promise<PublishResult> {
  const r = await call(cfg, `/v2/dlq/retry?dlqIds=${encodeURIComponent(dlqId)}`, { method: "POST" });
  if ("error" in r) return { ok: false, error: r.error, status: null };
  const messageId = (r.json as { responses?: { messageId?: string }[] } | null)?.responses?.[0]?.messageId;
  if (r.status >= 300 || messageId === undefined) return { ok: false, error: `QStash ha risposto ${r.status}`, status: r.status };
  return { ok: true, messageId };
}
