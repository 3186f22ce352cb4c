/**
 * A local fake of Resend's `POST /emails`, speaking its wire format
 * (Bearer key, JSON body, Idempotency-Key, `{ id }` or
 * `{ statusCode, name, message }`). Tests script failures per recipient
 * through /__control and read back what arrived.
 */
import { randomUUID } from "node:crypto";
import { type IncomingMessage, type Server, createServer } from "node:http";

interface Recorded {
  idempotencyKey: string | null;
  authorization: string | null;
  body: { from?: string; to?: string | string[]; subject?: string; text?: string; html?: string };
  status: number;
}

const ERRORS: Record<number, { name: string; message: string }> = {
  401: { name: "missing_api_key", message: "Missing API key in the authorization header." },
  422: { name: "validation_error", message: "Missing `to` field." },
  429: { name: "rate_limit_exceeded", message: "Too many requests. You can only make 2 requests per second." },
  500: { name: "internal_server_error", message: "An unexpected error occurred." },
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function startFakeResend(): Promise<{ server: Server; url: string }> {
  let scripts = new Map<string, number[]>(); // recipient → statuses to answer, then 200
  let always = new Map<string, number>(); // recipient → status every time
  let requests: Recorded[] = [];
  const sent = new Map<string, string>(); // idempotency key → email id

  const server = createServer(async (req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const text = await readBody(req);
    if (req.url === "/__control/reset") {
      scripts = new Map(); always = new Map(); requests = []; sent.clear();
      return reply(200, { ok: true });
    }
    if (req.url === "/__control/script") {
      const s = JSON.parse(text) as { to: string; statuses?: number[]; always?: number };
      if (s.always !== undefined) always.set(s.to, s.always);
      else scripts.set(s.to, s.statuses ?? []);
      return reply(200, { ok: true });
    }
    if (req.url === "/__control/requests") return reply(200, requests);
    if (req.method !== "POST" || req.url !== "/emails") return reply(404, { statusCode: 404, name: "not_found", message: "Not found" });

    const body = JSON.parse(text) as Recorded["body"];
    const auth = req.headers.authorization ?? null;
    const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
    const to = [body.to ?? []].flat();
    let status = 200;
    if (!auth?.startsWith("Bearer re_")) status = 401;
    else if (to.length === 0 || !body.from || !body.subject) status = 422;
    else {
      const fixed = to.map((t) => always.get(t)).find((s) => s !== undefined);
      const queue = to.map((t) => scripts.get(t)).find((q) => q !== undefined && q.length > 0);
      if (fixed !== undefined) status = fixed;
      else if (queue !== undefined) status = queue.shift()!;
    }
    requests.push({ idempotencyKey: key, authorization: auth, body, status });
    if (status !== 200) return reply(status, { statusCode: status, ...ERRORS[status] });
    // Resend answers a repeated idempotency key with the first email's id.
    const id = (key !== null && sent.get(key)) || randomUUID();
    if (key !== null) sent.set(key, id);
    return reply(200, { id });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      resolve({ server, url: `http://127.0.0.1:${port}` });
    });
  });
}
