/**
 * A local fake of Upstash QStash (the real local server is a binary fetched
 * at install, which these machines cannot fetch), faithful to the wire format
 * of QStash's REST API and of the `@upstash/qstash` SDK (read in the SDK's
 * source: processHeaders, Receiver, DLQ):
 * - POST /v2/publish/<destination> with `Authorization: Bearer <token>`, the
 *   body as is, and the Upstash-* headers: Method, Deduplication-Id (the
 *   same id again answers the first messageId, `deduplicated: true`, and
 *   sends nothing), Retries, Timeout, Callback, Failure-Callback,
 *   Flow-Control-Key / Flow-Control-Value ("parallelism=2, rate=10"), and
 *   Upstash-Forward-<Name> forwarded as <Name>; answers 201 {messageId};
 * - POST /v2/batch: [{destination, headers, body}] as the SDK's batch()
 *   sends it, each item published as above, one answer per item in order;
 * - GET /v2/messages/<id>: a message still being delivered or retried; 404
 *   once delivered or dead (QStash removes delivered messages);
 * - deliveries carry Upstash-Message-Id, Upstash-Retried and
 *   Upstash-Signature: an HS256 JWT by the current signing key with iss
 *   "Upstash", sub the destination URL, iat/nbf/exp, a jti, and `body` the
 *   base64url SHA-256 of the body, as the SDK's Receiver verifies it;
 * - a non-2xx answer (or none within the timeout) is retried with QStash's
 *   backoff, min(86400, e^(2.5·n)) seconds, scaled by the test's time scale;
 *   after the last retry the message goes to the DLQ;
 * - the callback gets every attempt's response, the failure callback the
 *   last one with its dlqId, both as QStash's callback body (base64 bodies),
 *   signed the same way with sub the callback URL;
 * - flow control: at most `parallelism` deliveries in flight and `rate`
 *   started per second per key; the rest wait;
 * - DLQ: GET /v2/dlq (?messageId= filters), GET and DELETE /v2/dlq/<dlqId>, POST /v2/dlq/retry?dlqIds=…
 *   (a new message, removed from the DLQ).
 * State is per token (an "account"). Tests drive outages, pauses, lost callbacks, a
 * forgotten queue and the time scale
 * through /__control/<action>?account=<token>.
 */
import { randomUUID } from "node:crypto";
import { type Server, createServer } from "node:http";
import { Account, type DlqEntry, type Message, flowValue, read, seconds, signature } from "./account.js";

export async function startFakeQStash(): Promise<{ server: Server; url: string }> {
  const accounts = new Map<string, Account>();
  const account = (token: string) => accounts.get(token) ?? accounts.set(token, new Account()).get(token)!;

  /**
   * Starts what flow control lets start, now; comes back while anything
   * waits (a timer may fire a little early). One pass over the queue, a key
   * looked at once it is full: a burst of thousands stays cheap.
   */
  const pump = (a: Account) => {
    const now = Date.now();
    a.armed = false;
    // Paused (QStash's flowControl.pause): messages are accepted and kept, none delivered.
    if (a.paused) return;
    const full = new Set<string>();
    const still: Message[] = [];
    for (const m of a.waiting) {
      if (m.notBefore > now || (m.flow !== null && full.has(m.flow.key))) {
        still.push(m);
        continue;
      }
      if (m.flow !== null) {
        const inFlight = a.inFlight.get(m.flow.key) ?? 0;
        const recent = a.started.get(m.flow.key) ?? [];
        while (recent.length > 0 && recent[0]! <= now - 1000) recent.shift();
        a.started.set(m.flow.key, recent);
        if (inFlight >= m.flow.parallelism || recent.length >= m.flow.rate) {
          full.add(m.flow.key);
          still.push(m);
          continue;
        }
        a.inFlight.set(m.flow.key, inFlight + 1);
        recent.push(now);
      }
      void attempt(a, m);
    }
    a.waiting = still;
    if (a.waiting.length > 0 && !a.armed) {
      a.armed = true;
      setTimeout(() => pump(a), 20);
    }
  };
  const schedule = (a: Account, m: Message, atMs: number) => {
    m.notBefore = atMs;
    a.waiting.push(m);
    setTimeout(() => pump(a), Math.max(0, atMs - Date.now()) + 1);
  };
  const callbackBody = (m: Message, status: number, body: string, dlqId?: string) => JSON.stringify({
    status, header: { "Content-Type": ["application/json"] }, body: Buffer.from(body).toString("base64"), retried: m.retried, maxRetries: m.retries,
    ...(dlqId === undefined ? {} : { dlqId }), sourceMessageId: m.messageId, url: m.url, method: m.method,
    sourceHeader: Object.fromEntries(Object.entries(m.forward).map(([k, v]) => [k, [v]])), sourceBody: Buffer.from(m.body).toString("base64"),
    notBefore: String(m.notBefore), createdAt: String(m.createdAt), callerIP: "127.0.0.1",
  });
  const post = async (a: Account, url: string, body: string, headers: Record<string, string>, timeoutMs: number) => {
    try {
      const res = await fetch(url, {
        method: "POST", body, signal: AbortSignal.timeout(timeoutMs),
        headers: { ...headers, "Upstash-Signature": await signature(a.keys.current, url, body) },
      });
      return { status: res.status, body: await res.text() };
    } catch {
      return { status: 0, body: "" };
    }
  };
  const callback = (a: Account, url: string | null, body: string) => {
    // Callbacks are messages too: delivered (and retried) on their own.
    if (url !== null && !a.dropCallbacks) void (async () => {
      for (let i = 0; i < 3; i++) if ((await post(a, url, body, { "Content-Type": "application/json" }, 10_000)).status < 300) return;
    })();
  };
  const attempt = async (a: Account, m: Message) => {
    a.deliveries++;
    const r = await post(a, m.url, m.body, {
      ...m.forward, "Content-Type": m.forward["Content-Type"] ?? "application/json", "Upstash-Message-Id": m.messageId, "Upstash-Retried": String(m.retried),
    }, m.timeoutMs);
    if (m.flow !== null) a.inFlight.set(m.flow.key, (a.inFlight.get(m.flow.key) ?? 1) - 1);
    callback(a, m.callback, callbackBody(m, r.status, r.body));
    if (r.status >= 200 && r.status < 300) {
      a.live.delete(m.messageId);
      return pump(a);
    }
    if (m.retried >= m.retries) {
      a.live.delete(m.messageId);
      const dlqId = `${Date.now()}-${a.dlq.size}`;
      a.dlq.set(dlqId, { dlqId, message: m, responseStatus: r.status, responseBody: r.body });
      callback(a, m.failureCallback, callbackBody(m, r.status, r.body, dlqId));
      return pump(a);
    }
    const delayMs = Math.min(86_400, Math.exp(2.5 * m.retried)) * 1000 * a.timeScale;
    m.retried++;
    schedule(a, m, Date.now() + delayMs);
    pump(a);
  };

  /** One publication (from /v2/publish or an item of /v2/batch), headers lowercased: its answer. */
  const accept = (a: Account, destination: string, headers: Record<string, string>, body: string) => {
    const h = (n: string) => headers[n.toLowerCase()];
    const dedup = h("Upstash-Deduplication-Id");
    const known = dedup === undefined ? undefined : a.dedup.get(dedup);
    if (known !== undefined) {
      a.published.push({ headers, destination, status: 201, messageId: known });
      return { messageId: known, url: destination, deduplicated: true };
    }
    const forward = Object.fromEntries(Object.entries(headers).filter(([k]) => k.startsWith("upstash-forward-")).map(([k, v]) => [k.slice("upstash-forward-".length), v]));
    if (h("Content-Type") !== undefined) forward["Content-Type"] = h("Content-Type")!;
    const flowKey = h("Upstash-Flow-Control-Key");
    const m: Message = {
      messageId: `msg_${randomUUID().replaceAll("-", "")}`, url: destination, method: h("Upstash-Method") ?? "POST", body, forward,
      retries: Number(h("Upstash-Retries") ?? 3), retried: 0, timeoutMs: seconds(h("Upstash-Timeout"), 30_000),
      callback: h("Upstash-Callback") ?? null, failureCallback: h("Upstash-Failure-Callback") ?? null,
      flow: flowKey === undefined ? null : { key: flowKey, ...flowValue(h("Upstash-Flow-Control-Value")) }, createdAt: Date.now(), notBefore: Date.now(),
    };
    if (dedup !== undefined) a.dedup.set(dedup, m.messageId);
    a.published.push({ headers, destination, status: 201, messageId: m.messageId });
    a.live.set(m.messageId, m);
    schedule(a, m, Date.now());
    return { messageId: m.messageId, url: destination };
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const body = await read(req);
    const reply = (status: number, json: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(json === undefined ? "" : JSON.stringify(json));
    };
    if (url.pathname.startsWith("/__control/")) {
      const a = account(url.searchParams.get("account") ?? "");
      const input = body === "" ? {} : JSON.parse(body);
      switch (url.pathname.slice("/__control/".length)) {
        case "keys": return reply(200, a.keys);
        case "outage": a.outage = input.status ?? null; return reply(200, { ok: true });
        case "timescale": a.timeScale = input.scale; return reply(200, { ok: true });
        case "pause": a.paused = input.paused === true; if (!a.paused) pump(a); return reply(200, { ok: true });
        case "drop-callbacks": a.dropCallbacks = input.drop === true; return reply(200, { ok: true });
        case "refuse": a.refused.add(input.delivery); return reply(200, { ok: true });
        // QStash loses messages (or a user empties the queue): all of them, or one.
        case "forget": {
          const gone = (m: Message) => input.messageId === undefined || m.messageId === input.messageId;
          for (const [k, e] of a.dlq) if (gone(e.message)) a.dlq.delete(k);
          for (const [k, m] of a.live) if (gone(m)) a.live.delete(k);
          a.waiting = a.waiting.filter((m) => !gone(m));
          return reply(200, { ok: true });
        }
        // A waiting message's retries exhausted at once (its failure callback is sent, unless dropped).
        case "exhaust": {
          const m = a.live.get(input.messageId);
          if (m === undefined) return reply(404, { error: "no such live message" });
          a.live.delete(m.messageId);
          a.waiting = a.waiting.filter((x) => x !== m);
          const dlqId = `${Date.now()}-${a.dlq.size}`;
          a.dlq.set(dlqId, { dlqId, message: m, responseStatus: 503, responseBody: "" });
          callback(a, m.failureCallback, callbackBody(m, 503, "", dlqId));
          return reply(200, { dlqId });
        }
        case "published": return reply(200, a.published);
        case "stats": return reply(200, { waiting: a.waiting.length, inFlight: Object.fromEntries(a.inFlight), dlq: a.dlq.size, deliveries: a.deliveries, batches: a.batches });
        default: return reply(404, { error: "unknown control" });
      }
    }
    const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    if (token === "") return reply(401, { error: "Unauthorized" });
    const a = account(token);
    // An outage answers every API call alike (the publish log keeps what was tried).
    if (a.outage !== null && !url.pathname.startsWith("/v2/publish/")) return reply(a.outage, { error: "service unavailable" });
    if (url.pathname.startsWith("/v2/publish/")) {
      const destination = decodeURIComponent(url.pathname.slice("/v2/publish/".length));
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      if (a.outage !== null) {
        a.published.push({ headers, destination, status: a.outage });
        return reply(a.outage, { error: "service unavailable" });
      }
      return reply(201, accept(a, destination, headers, body));
    }
    // The SDK's batch(): [{destination, headers, body}], one answer per message, in order.
    if (url.pathname === "/v2/batch" && req.method === "POST") {
      const items = JSON.parse(body) as { destination: string; headers?: Record<string, string>; body?: string }[];
      if (!Array.isArray(items) || items.some((x) => typeof x.destination !== "string")) return reply(400, { error: "invalid batch" });
      a.batches++;
      return reply(201, items.map((x) => {
        const headers = Object.fromEntries(Object.entries(x.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
        headers.authorization = req.headers.authorization ?? "";
        if (a.refused.has(headers["upstash-forward-termini-delivery"] ?? "")) return { error: "invalid flow control value" };
        return accept(a, x.destination, headers, x.body ?? "");
      }));
    }
    const message = url.pathname.match(/^\/v2\/messages\/([^/]+)$/);
    if (message !== null && req.method === "GET") {
      const m = a.live.get(decodeURIComponent(message[1]!));
      return m === undefined ? reply(404, { error: "message not found" }) : reply(200, { messageId: m.messageId, url: m.url, method: m.method, body: m.body, maxRetries: m.retries, createdAt: m.createdAt, notBefore: m.notBefore });
    }
    const dlqView = (e: DlqEntry) => ({
      dlqId: e.dlqId, messageId: e.message.messageId, url: e.message.url, method: e.message.method, body: e.message.body, maxRetries: e.message.retries,
      createdAt: e.message.createdAt, responseStatus: e.responseStatus, responseBody: e.responseBody,
      header: Object.fromEntries(Object.entries(e.message.forward).map(([k, v]) => [k, [v]])),
    });
    if (url.pathname === "/v2/dlq" && req.method === "GET") {
      const messageId = url.searchParams.get("messageId");
      return reply(200, { messages: [...a.dlq.values()].filter((e) => messageId === null || e.message.messageId === messageId).map(dlqView) });
    }
    if (url.pathname === "/v2/dlq/retry" && req.method === "POST") {
      const responses = url.searchParams.getAll("dlqIds").flatMap((id) => {
        const e = a.dlq.get(id);
        if (e === undefined) return [];
        a.dlq.delete(id);
        const m = { ...e.message, messageId: `msg_${randomUUID().replaceAll("-", "")}`, retried: 0, createdAt: Date.now() };
        a.live.set(m.messageId, m);
        schedule(a, m, Date.now());
        return [{ messageId: m.messageId }];
      });
      return reply(200, { responses });
    }
    const one = url.pathname.match(/^\/v2\/dlq\/([^/]+)$/);
    if (one !== null) {
      const e = a.dlq.get(decodeURIComponent(one[1]!));
      if (e === undefined) return reply(404, { error: "message not found in dlq" });
      if (req.method === "DELETE") {
        a.dlq.delete(e.dlqId);
        return reply(200, undefined);
      }
      return reply(200, dlqView(e));
    }
    reply(404, { error: "not found" });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}` };
}
