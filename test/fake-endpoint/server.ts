/**
 * Receivers of outbound webhooks, as a centre's or an office's server would
 * be: each endpoint (/hooks/<name>) verifies every request with the
 * `standardwebhooks` library, given the subscription's secret, and answers
 * as its script says (statuses in turn, then 200; or a delay; or always one
 * status). It records every request with its verification and the most
 * requests it had in flight at once. Tests drive it through /__control.
 */
import { type IncomingMessage, type Server, createServer } from "node:http";
import { Webhook } from "standardwebhooks";

export interface Received {
  id: string | null;
  timestamp: string | null;
  signature: string | null;
  body: string;
  /** Whether the standardwebhooks library accepted it with the endpoint's secret; why not, if not. */
  verified: boolean;
  error: string | null;
  status: number;
  at: number;
  /** The routing headers beside the signature: event type, delivery, attempt. */
  eventType: string | null;
  delivery: string | null;
  attempt: string | null;
}

class Endpoint {
  secret: string | null = null;
  statuses: number[] = [];
  always: number | null = null;
  delayMs = 0;
  inFlight = 0;
  maxInFlight = 0;
  received: Received[] = [];
}

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function verify(secret: string | null, body: string, headers: Record<string, string>): string | null {
  if (secret === null) return "no secret set";
  try {
    new Webhook(secret).verify(body, headers);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

export async function startFakeEndpoints(): Promise<{ server: Server; url: string }> {
  const endpoints = new Map<string, Endpoint>();
  const endpoint = (name: string) => endpoints.get(name) ?? endpoints.set(name, new Endpoint()).get(name)!;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const body = await read(req);
    const reply = (status: number, json: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(json));
    };
    if (url.pathname.startsWith("/__control/")) {
      const e = endpoint(url.searchParams.get("name") ?? "");
      const input = body === "" ? {} : JSON.parse(body);
      switch (url.pathname.slice("/__control/".length)) {
        case "setup":
          Object.assign(e, { secret: input.secret ?? e.secret, statuses: input.statuses ?? [], always: input.always ?? null, delayMs: input.delayMs ?? 0 });
          return reply(200, { ok: true });
        case "received":
          return reply(200, e.received);
        case "stats":
          return reply(200, { maxInFlight: e.maxInFlight, inFlight: e.inFlight, received: e.received.length });
        default:
          return reply(404, { error: "unknown control" });
      }
    }
    if (!url.pathname.startsWith("/hooks/") || req.method !== "POST") return reply(404, { error: "not found" });
    const e = endpoint(url.pathname.slice("/hooks/".length));
    e.inFlight++;
    e.maxInFlight = Math.max(e.maxInFlight, e.inFlight);
    try {
      if (e.delayMs > 0) await new Promise((r) => setTimeout(r, e.delayMs));
      const h = (n: string) => (req.headers[n] as string | undefined) ?? null;
      const headers = { "webhook-id": h("webhook-id") ?? "", "webhook-timestamp": h("webhook-timestamp") ?? "", "webhook-signature": h("webhook-signature") ?? "" };
      const error = verify(e.secret, body, headers);
      const status = e.statuses.shift() ?? e.always ?? (error === null ? 200 : 401);
      e.received.push({ id: h("webhook-id"), timestamp: h("webhook-timestamp"), signature: h("webhook-signature"), body, verified: error === null, error, status, at: Date.now(),
        eventType: h("termini-event-type"), delivery: h("termini-delivery"), attempt: h("termini-delivery-attempt") });
      reply(status, { received: status < 300 });
    } finally {
      e.inFlight--;
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}` };
}
