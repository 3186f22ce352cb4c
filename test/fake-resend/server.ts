/**
 * A local fake of Resend's `POST /emails`, faithful to its wire format and to
 * its idempotency rules (resend.com/docs/dashboard/emails/idempotency-keys):
 * - a key seen with an email sent in the last 24 hours answers that email's
 *   id again and sends nothing;
 * - the same key with a different payload: 409 invalid_idempotent_request;
 * - the same key while its first request is still being processed: 409
 *   concurrent_idempotent_requests;
 * - a key outside 1-256 characters: 400 invalid_idempotency_key;
 * - a failed request leaves no trace: its key may be used again;
 * - with a rate limit set (Resend's default is 5 requests per second per
 *   team, resend.com/docs/api-reference/rate-limit), a request above it in
 *   the last second answers 429 rate_limit_exceeded with `retry-after` (whole
 *   seconds) and every answer carries `ratelimit-limit`, `ratelimit-remaining`
 *   and `ratelimit-reset`.
 * State is per API key (an "account"), so test files sharing the server do
 * not see each other. Tests script failures, delays and outages through
 * /__control/<action>?account=<key>, and read back the requests and the
 * emails actually delivered.
 */
import { createHash, randomUUID } from "node:crypto";
import { type IncomingMessage, type Server, createServer } from "node:http";

interface EmailBody { from?: string; to?: string | string[]; subject?: string; text?: string; html?: string }

export interface Recorded {
  idempotencyKey: string | null;
  authorization: string | null;
  body: EmailBody;
  status: number;
  at: number;
}

export interface Delivered { id: string; idempotencyKey: string | null; to: string[]; subject: string; text: string; at: number }

const ERRORS: Record<number, { name: string; message: string }> = {
  400: { name: "invalid_idempotency_key", message: "The key must be between 1-256 chars." },
  401: { name: "missing_api_key", message: "Missing API key in the authorization header." },
  403: { name: "invalid_api_key", message: "API key is invalid." },
  409: { name: "concurrent_idempotent_requests", message: "Same idempotency key used while original request is still in progress." },
  422: { name: "validation_error", message: "Missing `to` field." },
  429: { name: "rate_limit_exceeded", message: "Too many requests. You can only make 5 requests per second. See rate limit response headers for more information." },
  500: { name: "internal_server_error", message: "An unexpected error occurred." },
  502: { name: "application_error", message: "Bad gateway." },
  503: { name: "application_error", message: "Service unavailable." },
};
const DAY_MS = 24 * 3_600_000;

class Account {
  scripts = new Map<string, number[]>(); // recipient → statuses to answer, then 200
  always = new Map<string, number>(); // recipient → status every time
  delays = new Map<string, number>(); // recipient → ms before the request is processed
  held = new Map<string, (() => void)[]>(); // recipient → requests waiting until the test releases them
  outage: number | null = null; // every request answers this status
  rateLimit: number | null = null; // requests per second, or none
  window: number[] = []; // when the requests of the last second arrived
  clockOffsetMs = 0;
  requests: Recorded[] = [];
  delivered: Delivered[] = [];
  keys = new Map<string, { hash: string; id: string; at: number }>();
  inFlight = new Set<string>();
  now() { return Date.now() + this.clockOffsetMs; }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function startFakeResend(port = 0): Promise<{ server: Server; url: string }> {
  const accounts = new Map<string, Account>();
  const account = (key: string) => accounts.get(key) ?? accounts.set(key, new Account()).get(key)!;

  function control(action: string, a: Account, text: string): unknown {
    const body = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
    switch (action) {
      case "reset":
        // A request held by a test that ended without releasing it is let go, not stranded.
        for (const waiting of a.held.values()) for (const go of waiting) go();
        Object.assign(a, new Account());
        return { ok: true };
      case "script":
        if (body.always !== undefined) a.always.set(body.to as string, body.always as number);
        else if (body.delayMs !== undefined) a.delays.set(body.to as string, body.delayMs as number);
        else if (body.hold === true) a.held.set(body.to as string, a.held.get(body.to as string) ?? []);
        else a.scripts.set(body.to as string, (body.statuses as number[]) ?? []);
        return { ok: true };
      // Lets every held request to this recipient be processed, and stops holding new ones.
      case "release": {
        const waiting = a.held.get(body.to as string) ?? [];
        a.held.delete(body.to as string);
        for (const go of waiting) go();
        return { released: waiting.length };
      }
      case "outage": a.outage = (body.status as number | null) ?? null; return { ok: true };
      case "ratelimit": a.rateLimit = (body.perSecond as number | null) ?? null; return { ok: true };
      case "clock": a.clockOffsetMs += (body.advanceMs as number) ?? 0; return { ok: true };
      case "requests": return a.requests;
      case "delivered": return a.delivered;
      // The idempotency keys of requests being processed now: a test can send a second one while the first provably is.
      case "inflight": return [...a.inFlight];
      default: return undefined;
    }
  }

  async function send(a: Account, body: EmailBody, auth: string | null, key: string | null): Promise<[number, unknown]> {
    const to = [body.to ?? []].flat();
    const record = (status: number) => a.requests.push({ idempotencyKey: key, authorization: auth, body, status, at: a.now() });
    const fail = (status: number, name?: string): [number, unknown] => {
      record(status);
      const e = ERRORS[status] ?? ERRORS[500]!;
      return [status, { statusCode: status, name: name ?? e.name, message: e.message }];
    };
    if (a.outage !== null) return fail(a.outage);
    if (key !== null && (key.length < 1 || key.length > 256)) return fail(400, "invalid_idempotency_key");
    if (to.length === 0 || !body.from || !body.subject) return fail(422);
    const hash = createHash("sha256").update(JSON.stringify(body)).digest("hex");
    if (key !== null) {
      const seen = a.keys.get(key);
      if (seen !== undefined && a.now() - seen.at < DAY_MS) {
        if (seen.hash !== hash) return fail(409, "invalid_idempotent_request");
        record(200);
        return [200, { id: seen.id }];
      }
      if (a.inFlight.has(key)) return fail(409, "concurrent_idempotent_requests");
      a.inFlight.add(key);
    }
    try {
      // A slow provider: the request is processed (and the email sent) after the delay,
      // whether or not the client is still waiting for the answer.
      const delay = Math.max(0, ...to.map((t) => a.delays.get(t) ?? 0));
      if (delay > 0) await sleep(delay);
      // A provider that takes as long as the test wants: processed only once released.
      const hold = to.map((t) => a.held.get(t)).find((q) => q !== undefined);
      if (hold !== undefined) await new Promise<void>((go) => hold.push(go));
      const fixed = to.map((t) => a.always.get(t)).find((s) => s !== undefined);
      const queue = to.map((t) => a.scripts.get(t)).find((q) => q !== undefined && q.length > 0);
      const status = fixed ?? (queue === undefined ? 200 : queue.shift()!);
      if (status !== 200) return fail(status);
      const id = randomUUID();
      if (key !== null) a.keys.set(key, { hash, id, at: a.now() });
      a.delivered.push({ id, idempotencyKey: key, to, subject: body.subject, text: body.text ?? "", at: a.now() });
      record(200);
      return [200, { id }];
    } finally {
      if (key !== null) a.inFlight.delete(key);
    }
  }

  /** Resend counts every request against the limit; above it, 429 and how long to wait. */
  function limit(a: Account): { headers: Record<string, string>; refused: boolean } {
    if (a.rateLimit === null) return { headers: {}, refused: false };
    const now = a.now();
    a.window = a.window.filter((t) => now - t < 1000);
    const refused = a.window.length >= a.rateLimit;
    if (!refused) a.window.push(now);
    const reset = Math.max(1, Math.ceil((1000 - (now - (a.window[0] ?? now))) / 1000));
    const headers: Record<string, string> = {
      "ratelimit-limit": String(a.rateLimit), "ratelimit-remaining": String(Math.max(0, a.rateLimit - a.window.length)), "ratelimit-reset": String(reset),
    };
    if (refused) headers["retry-after"] = String(reset);
    return { headers, refused };
  }

  const server = createServer(async (req, res) => {
    let extra: Record<string, string> = {};
    const reply = (status: number, body: unknown) => {
      if (res.destroyed) return;
      res.writeHead(status, { "Content-Type": "application/json", ...extra });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? "/", "http://fake");
    const text = await readBody(req);
    if (url.pathname.startsWith("/__control/")) {
      const out = control(url.pathname.slice("/__control/".length), account(url.searchParams.get("account") ?? ""), text);
      return out === undefined ? reply(404, { error: "unknown control" }) : reply(200, out);
    }
    if (req.method !== "POST" || url.pathname !== "/emails") return reply(404, { statusCode: 404, name: "not_found", message: "Not found" });
    const auth = req.headers.authorization ?? null;
    if (!auth?.startsWith("Bearer re_")) return reply(401, { statusCode: 401, ...ERRORS[401] });
    const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
    const a = account(auth.slice("Bearer ".length));
    const limited = limit(a);
    extra = limited.headers;
    if (limited.refused) {
      a.requests.push({ idempotencyKey: key, authorization: auth, body: JSON.parse(text) as EmailBody, status: 429, at: a.now() });
      return reply(429, { statusCode: 429, ...ERRORS[429] });
    }
    const [status, body] = await send(a, JSON.parse(text) as EmailBody, auth, key);
    reply(status, body);
  });
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      const bound = typeof address === "object" && address !== null ? address.port : 0;
      resolve({ server, url: `http://127.0.0.1:${bound}` });
    });
  });
}
