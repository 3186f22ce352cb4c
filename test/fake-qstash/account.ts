/** The fake QStash's state per account (token), and the wire details it shares with the server. */
import { createHash, randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { SignJWT } from "jose";

export interface Message {
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

export interface DlqEntry { dlqId: string; message: Message; responseStatus: number; responseBody: string }

export class Account {
  keys = { current: `sig_current_${randomUUID()}`, next: `sig_next_${randomUUID()}` };
  dedup = new Map<string, string>();
  outage: number | null = null;
  timeScale = 0.001;
  published: { headers: Record<string, string>; destination: string; status: number; messageId?: string }[] = [];
  dlq = new Map<string, DlqEntry>();
  inFlight = new Map<string, number>();
  started = new Map<string, number[]>();
  waiting: Message[] = [];
  armed = false;
  paused = false;
  /** Callbacks QStash gives up on (Termini down for good): none is sent while set. */
  dropCallbacks = false;
  /** Deliveries (by their Termini-Delivery header) whose batch item is refused. */
  refused = new Set<string>();
  /** Messages accepted and not yet delivered or dead: what GET /v2/messages/{id} finds. */
  live = new Map<string, Message>();
  deliveries = 0;
  batches = 0;
}

const b64url = (buf: Buffer) => buf.toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

export async function signature(key: string, url: string, body: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ body: b64url(createHash("sha256").update(body).digest()) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer("Upstash").setSubject(url).setIssuedAt(now).setNotBefore(now).setExpirationTime(now + 300).setJti(`jwt_${randomUUID()}`)
    .sign(new TextEncoder().encode(key));
}

export async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** "parallelism=2, rate=10, period=1s" */
export function flowValue(v: string | undefined): { parallelism: number; rate: number } {
  const out = { parallelism: Infinity, rate: Infinity };
  for (const part of (v ?? "").split(",")) {
    const [k, n] = part.trim().split("=");
    if (k === "parallelism") out.parallelism = Number(n);
    if (k === "rate") out.rate = Number(n);
  }
  return out;
}

export const seconds = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v.replace(/s$/, "")) * 1000);
