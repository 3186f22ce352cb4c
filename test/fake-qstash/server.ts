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
 * - DLQ: GET /v2/dlq, GET and DELETE /v2/dlq/<dlqId>, POST /v2/dlq/retry?dlqIds=…
 *   (a new message, removed from the DLQ).
 * State is per token (an "account"). Tests drive outages, pauses and the time scale
 * through /__control/<action>?account=<token>.
 */
import { createHash, randomUUID } from "node:crypto";
import { type IncomingMessage, type Server, createServer } from "node:http";
import { SignJWT } from "jose";

interface Message {
  messageId: string;
  url: string;
  method: string;
  body: string;
  forward: Record<string, string>;
  retries: number;
  retried: number;
  timeoutMs: number;
  callback: string | null;
  failureCallback: string | null;
  flow: { key: string; parallelism: number; rate: number } | null;
  createdAt: number;
  notBefore: number;
}

interface DlqEntry { dlqId: string; message: Message; responseStatus: number; responseBody: string }

class Account {
  keys = { current: `sig_current_${randomUUID()}`, next: `sig_next_${randomUUID()}` };
  dedup = new Map<string, string>();
  outage: number | null = null;
  timeScale = 0.001;
  published: { headers: Record<string, string>; destination: string; status: number }[] = [];
  dlq = new Map<string, DlqEntry>();
  inFlight = new Map<string, number>();
  started = new Map<string, number[]>();
  waiting: Message[] = [];
  armed = false;
  paused = false;
  deliveries = 0;
}

const b64url = (buf: Buffer) => buf.toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

async function signature(key: string, url: string, body: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ body: b64url(createHash("sha256").update(body).digest()) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer("Upstash").setSubject(url).setIssuedAt(now).setNotBefore(now).setExpirationTime(now + 300).setJti(`jwt_${randomUUID()}`)
    .sign(new TextEncoder().encode(key));
}

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** "parallelism=2, rate=10, period=1s" */
function flowValue(v: string | undefined): { parallelism: number; rate: number } {
  const out = { parallelism: Infinity, rate: Infinity };
  for (const part of (v ?? "").split(",")) {
    const [k, n] = part.trim().split("=");
    if (k === "parallelism") out.parallelism = Number(n);
    if (k === "rate") out.rate = Number(n);
  }
  return out;
}

const seconds = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v.replace(/s$/, "")) * 1000);

export async function startFakeQStash(): Promise<{ server: Server; url: string }> {
  const accounts = new Map<string, Account>();
  const account = (token: string) => accounts.get(token) ?? accounts.set(token, new Account()).get(token)!;

  /** Starts what flow control lets start, now; comes back while anything waits (a timer may fire a little early). */
  const pump = (a: Account) => {
    const now = Date.now();
    a.armed = false;
    // Paused (QStash's flowControl.pause): messages are accepted and kept, none delivered.
    if (a.paused) return;
    for (const m of [...a.waiting]) {
      if (m.notBefore > now) continue;
      if (m.flow !== null) {
        const inFlight = a.inFlight.get(m.flow.key) ?? 0;
        const recent = (a.started.get(m.flow.key) ?? []).filter((t) => t > now - 1000);
        a.started.set(m.flow.key, recent);
        if (inFlight >= m.flow.parallelism || recent.length >= m.flow.rate) continue;
        a.inFlight.set(m.flow.key, inFlight + 1);
        recent.push(now);
      }
      a.waiting.splice(a.waiting.indexOf(m), 1);
      void attempt(a, m);
    }
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
    if (url !== null) void (async () => {
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
    if (r.status >= 200 && r.status < 300) return pump(a);
    if (m.retried >= m.retries) {
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
        case "published": return reply(200, a.published);
        case "stats": return reply(200, { waiting: a.waiting.length, inFlight: Object.fromEntries(a.inFlight), dlq: a.dlq.size, deliveries: a.deliveries });
        default: return reply(404, { error: "unknown control" });
      }
    }
    const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    if (token === "") return reply(401, { error: "Unauthorized" });
    const a = account(token);
    const h = (n: string) => req.headers[n.toLowerCase()] as string | undefined;
    if (url.pathname.startsWith("/v2/publish/")) {
      const destination = decodeURIComponent(url.pathname.slice("/v2/publish/".length));
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      if (a.outage !== null) {
        a.published.push({ headers, destination, status: a.outage });
        return reply(a.outage, { error: "service unavailable" });
      }
      const dedup = h("Upstash-Deduplication-Id");
      const known = dedup === undefined ? undefined : a.dedup.get(dedup);
      a.published.push({ headers, destination, status: 201 });
      if (known !== undefined) return reply(201, { messageId: known, url: destination, deduplicated: true });
      const forward = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.startsWith("upstash-forward-")).map(([k, v]) => [k.slice("upstash-forward-".length), String(v)]));
      if (h("Content-Type") !== undefined) forward["Content-Type"] = h("Content-Type")!;
      const flowKey = h("Upstash-Flow-Control-Key");
      const m: Message = {
        messageId: `msg_${randomUUID().replaceAll("-", "")}`, url: destination, method: h("Upstash-Method") ?? "POST", body, forward,
        retries: Number(h("Upstash-Retries") ?? 3), retried: 0, timeoutMs: seconds(h("Upstash-Timeout"), 30_000),
        callback: h("Upstash-Callback") ?? null, failureCallback: h("Upstash-Failure-Callback") ?? null,
        flow: flowKey === undefined ? null : { key: flowKey, ...flowValue(h("Upstash-Flow-Control-Value")) }, createdAt: Date.now(), notBefore: Date.now(),
      };
      if (dedup !== undefined) a.dedup.set(dedup, m.messageId);
      schedule(a, m, Date.now());
      return reply(201, { messageId: m.messageId, url: destination });
    }
    const dlqView = (e: DlqEntry) => ({
      dlqId: e.dlqId, messageId: e.message.messageId, url: e.message.url, method: e.message.method, body: e.message.body, maxRetries: e.message.retries,
      createdAt: e.message.createdAt, responseStatus: e.responseStatus, responseBody: e.responseBody,
      header: Object.fromEntries(Object.entries(e.message.forward).map(([k, v]) => [k, [v]])),
    });
    if (url.pathname === "/v2/dlq" && req.method === "GET") return reply(200, { messages: [...a.dlq.values()].map(dlqView) });
    if (url.pathname === "/v2/dlq/retry" && req.method === "POST") {
      const responses = url.searchParams.getAll("dlqIds").flatMap((id) => {
        const e = a.dlq.get(id);
        if (e === undefined) return [];
        a.dlq.delete(id);
        const m = { ...e.message, messageId: `msg_${randomUUID().replaceAll("-", "")}`, retried: 0, createdAt: Date.now() };
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
