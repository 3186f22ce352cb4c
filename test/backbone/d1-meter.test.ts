import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { sign } from "../../src/auth/standard-webhooks.js";
import { createApp } from "../../src/app.js";
import { DEMO_SECRET, newRef, registration } from "./helpers.js";

async function ingest(meterEnv: string | undefined, header: string | undefined, event: object = registration(newRef())) {
  const body = JSON.stringify(event);
  const id = `msg_${crypto.randomUUID()}`;
  const ts = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    "Content-Type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": await sign(DEMO_SECRET, id, ts, body),
  };
  if (header !== undefined) headers["X-D1-Meter"] = header;
  const ctx = createExecutionContext();
  const res = await createApp().fetch(new Request("http://termini.test/webhooks/events", { method: "POST", headers, body }), { ...env, D1_METER: meterEnv }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

it("reports the D1 rows an ingested event reads and writes, when the deployment and the request both ask", async () => {
  const res = await ingest("1", "1");
  expect(res.status).toBe(201);
  expect(Number(res.headers.get("X-D1-Rows-Written"))).toBeGreaterThanOrEqual(13);
  expect(Number(res.headers.get("X-D1-Rows-Read"))).toBeGreaterThan(0);
  expect(Number(res.headers.get("X-D1-Queries"))).toBeGreaterThan(5);
});

it("ingests a new case in two D1 round trips once the directory is in memory: one read batch, one write batch", async () => {
  await ingest("1", "1");
  const res = await ingest("1", "1");
  expect(res.status).toBe(201);
  expect(res.headers.get("X-D1-Calls")).toBe("2");
  expect(res.headers.get("X-D1-Sequential")).toBe("2");
});

it("ingests an event on an existing case in the same two round trips", async () => {
  const ref = newRef();
  expect((await ingest("1", "1", registration(ref))).status).toBe(201);
  const res = await ingest("1", "1", { type: "measures.requested", caseRef: ref, occurredAt: new Date(Date.now() - 60_000).toISOString(), data: {} });
  expect(res.status).toBe(201);
  expect(res.headers.get("X-D1-Sequential")).toBe("2");
});

it("stays off unless the deployment enables it", async () => {
  const res = await ingest(undefined, "1");
  expect(res.status).toBe(201);
  expect(res.headers.get("X-D1-Rows-Read")).toBeNull();
});
