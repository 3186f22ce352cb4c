/**
 * Termini's QStash calls are the SDK's calls: the `@upstash/qstash` Client
 * (publishJSON, batchJSON, messages.get, dlq.listMessages, dlq.retry) and
 * Termini's publisher (src/outbound/qstash.ts) make the same requests of the
 * same local recorder — method, path and query, the Upstash-* headers
 * (deduplication, retries, timeout, callbacks, flow control, forwarded
 * headers), the content type and the body — and read the same answers the
 * same way. The fake QStash the other tests use was written here; this ties
 * Termini to QStash's own client instead, so a divergence from the real API
 * fails here. (The SDK's own telemetry headers are left out of both.)
 */
import { type IncomingMessage, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@upstash/qstash";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Publication, type QStashConfig, QSTASH_RETRIES, callbackPath, failurePath, publish, publishBatch, relayPath, retryFromDlq, whereabouts } from "../../src/outbound/qstash.js";

interface Recorded { method: string; url: string; headers: Record<string, string>; body: string }

let server: Server;
let base = "";
let recorded: Recorded[] = [];

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** QStash's answers, as its API documents them, whoever asks (msg_gone: no longer queued). */
function answer(r: Recorded): unknown {
  const path = r.url.split("?")[0]!;
  if (path === "/v2/messages/msg_gone") return { status: 404, body: { error: "message not found" } };
  if (path.startsWith("/v2/publish/")) return { messageId: "msg_one" };
  if (path === "/v2/batch") return (JSON.parse(r.body) as unknown[]).map((_, i) => ({ messageId: `msg_batch_${i}` }));
  if (path.startsWith("/v2/messages/")) return { messageId: path.slice("/v2/messages/".length), url: "https://termini.example/webhooks/qstash/relay", createdAt: 1 };
  if (path === "/v2/dlq" && r.method === "GET") return { messages: [{ messageId: new URL(r.url, base).searchParams.get("messageId"), dlqId: "dlq_1", url: "https://termini.example" }] };
  if (path === "/v2/dlq/retry") return { responses: [{ messageId: "msg_again" }] };
  return {};
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void read(req).then((body) => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const r: Recorded = { method: req.method!, url: req.url!, headers, body };
      recorded.push(r);
      const a = answer(r) as { status?: number; body?: unknown };
      const [status, json] = typeof a === "object" && a !== null && "status" in a ? [a.status!, a.body] : [200, a];
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(json));
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

/** What a request is made of, as QStash reads it: telemetry and transport headers aside. */
function shape(r: Recorded) {
  const kept = Object.entries(r.headers).filter(([k]) => (k.startsWith("upstash-") && !k.startsWith("upstash-telemetry-")) || k === "content-type" || k === "authorization");
  const url = new URL(r.url, base);
  return { method: r.method, path: decodeURIComponent(url.pathname), query: [...url.searchParams].sort(), headers: Object.fromEntries(kept.sort()), body: r.body };
}

async function take<T>(run: () => Promise<T>): Promise<{ result: T; requests: ReturnType<typeof shape>[] }> {
  recorded = [];
  const result = await run();
  return { result, requests: recorded.map(shape) };
}

const TOKEN = "qstash-token";
const cfg = (): QStashConfig => ({ token: TOKEN, baseUrl: base, appBaseUrl: "https://termini.example", timeoutMs: 10_000, query: "?district=TO" });
const sdk = () => new Client({ baseUrl: base, token: TOKEN, enableTelemetry: false });
const destination = `https://termini.example${relayPath}?district=TO`;

const event = (n: number) => JSON.stringify({ id: `msg_${n}`, type: "deadline.opened", version: 1, timestamp: "2026-10-31T10:00:00+01:00", sequence: n, data: { case: { ref: "1234/2026" } } });
const publication = (n: number, messageId: string | null = null): Publication => ({
  deliveryId: `msg_${n}.sub_a`, deduplicationId: messageId === null ? `msg_${n}.sub_a` : `msg_${n}.sub_a~${messageId}`, body: event(n),
  flow: { key: "sub_a", parallelism: 2, rate: 10 },
});

/** The same message as the SDK is told to publish it. */
const sdkMessage = (p: Publication) => ({
  url: destination, method: "POST" as const, body: JSON.parse(p.body) as unknown, deduplicationId: p.deduplicationId, retries: QSTASH_RETRIES, timeout: "15s" as const,
  callback: `https://termini.example${callbackPath}?district=TO`, failureCallback: `https://termini.example${failurePath}?district=TO`,
  flowControl: { key: p.flow.key, parallelism: p.flow.parallelism, rate: p.flow.rate }, headers: { "Termini-Delivery": p.deliveryId },
});

describe("Termini's QStash calls, beside the SDK's", () => {
  it("publish one message: the same request as publishJSON, the same message id read", async () => {
    const p = publication(1);
    const ours = await take(() => publish(cfg(), p));
    const theirs = await take(() => sdk().publishJSON(sdkMessage(p)));
    expect(ours.requests).toEqual(theirs.requests);
    expect(ours.requests[0]!.headers).toMatchObject({
      "upstash-deduplication-id": "msg_1.sub_a", "upstash-retries": "5", "upstash-timeout": "15s", "upstash-flow-control-key": "sub_a",
      "upstash-flow-control-value": "parallelism=2, rate=10", "upstash-forward-termini-delivery": "msg_1.sub_a", "upstash-method": "POST",
    });
    expect(ours.result).toEqual({ ok: true, messageId: theirs.result.messageId });
  });

  it("republish after a replay: a deduplication id of its own, as the SDK sends it", async () => {
    const p = publication(2, "msg_old");
    const ours = await take(() => publish(cfg(), p));
    const theirs = await take(() => sdk().publishJSON(sdkMessage(p)));
    expect(ours.requests).toEqual(theirs.requests);
  });

  it("a batch: the same request as batchJSON, the answers read in order", async () => {
    const ps = [publication(3), publication(4), publication(5)];
    const ours = await take(() => publishBatch(cfg(), ps));
    const theirs = await take(() => sdk().batchJSON(ps.map(sdkMessage)));
    // The request's own line and headers exactly; its JSON body as JSON (the order of an object's keys means
    // nothing to QStash): each message's destination, headers (names lowercased, as the SDK writes them) and body.
    expect(ours.requests.map(({ body, ...r }) => r)).toEqual(theirs.requests.map(({ body, ...r }) => r));
    expect(JSON.parse(ours.requests[0]!.body)).toEqual(JSON.parse(theirs.requests[0]!.body));
    expect(ours.result.map((r) => (r.ok ? r.messageId : r.error))).toEqual(theirs.result.map((r) => ("messageId" in r ? r.messageId : undefined)));
  });

  it("a message looked up, then in the dead-letter queue, then retried from it: the same calls as messages.get, dlq.listMessages and dlq.retry", async () => {
    const ours = await take(() => whereabouts(cfg(), "msg_7"));
    const theirs = await take(() => sdk().messages.get("msg_7"));
    expect(ours.requests).toEqual(theirs.requests);
    expect(ours.result).toEqual({ at: "queued" });

    // No longer queued: Termini asks the dead-letter queue next, as dlq.listMessages asks it.
    const gone = await take(() => whereabouts(cfg(), "msg_gone"));
    const sdkGone = await take(async () => {
      await sdk().messages.get("msg_gone").catch(() => undefined);
      return sdk().dlq.listMessages({ filter: { messageId: "msg_gone" } });
    });
    expect(gone.requests).toEqual(sdkGone.requests);
    expect(gone.result).toEqual({ at: "dead", dlqId: sdkGone.result.messages[0]!.dlqId });

    const retryOurs = await take(() => retryFromDlq(cfg(), "dlq_1"));
    const retryTheirs = await take(() => sdk().dlq.retry(["dlq_1"]));
    expect(retryOurs.requests).toEqual(retryTheirs.requests);
    expect(retryOurs.result).toEqual({ ok: true, messageId: retryTheirs.result.responses[0]!.messageId });
  });
});
