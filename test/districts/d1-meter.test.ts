/** An event in the district layout costs what it costs in one database, and touches only its district's. */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { sign } from "../../src/auth/standard-webhooks.js";
import { createApp } from "../../src/app.js";
import { MILANO_SECRET, newRef } from "../backbone/helpers.js";

async function ingest(event: object) {
  const body = JSON.stringify(event);
  const id = `msg_${crypto.randomUUID()}`;
  const ts = Math.floor(Date.now() / 1000);
  const headers = {
    "Content-Type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": await sign(MILANO_SECRET, id, ts, body), "X-D1-Meter": "1",
  };
  const ctx = createExecutionContext();
  const res = await createApp().fetch(new Request("http://termini.test/webhooks/events", { method: "POST", headers, body }), { ...env, D1_METER: "1" }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const registration = (ref: string) => ({ type: "suspect.registered", caseRef: ref, occurredAt: new Date(Date.now() - 3_600_000).toISOString(), data: { jurisdiction: "MI" } });

it("ingests a Milan case in two D1 round trips, all of them in Milan's database", async () => {
  expect((await ingest(registration(newRef()))).status).toBe(201);
  const res = await ingest(registration(newRef()));
  expect(res.status).toBe(201);
  expect([res.headers.get("X-D1-Calls"), res.headers.get("X-D1-Sequential")]).toEqual(["2", "2"]);
  expect(res.headers.get("X-D1-Databases")).toMatch(/^DISTRICT_MI rows=\d+ queries=\d+ ms=\d+$/);
});

it("records a later event on a Milan case in the same two round trips", async () => {
  const ref = newRef();
  expect((await ingest(registration(ref))).status).toBe(201);
  const res = await ingest({ type: "measures.requested", caseRef: ref, occurredAt: new Date(Date.now() - 60_000).toISOString(), data: {} });
  expect(res.status).toBe(201);
  expect(res.headers.get("X-D1-Sequential")).toBe("2");
  expect(res.headers.get("X-D1-Databases")).toMatch(/^DISTRICT_MI /);
});
