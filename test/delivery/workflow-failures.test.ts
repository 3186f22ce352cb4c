/**
 * A workflow the engine refuses to create is never hidden: the event is
 * recorded all the same (D1 is the source of truth), the failure is
 * counted for administrators, and the next sweep starts the workflow.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import { timelineInstances, workflowFailures } from "../../src/db/schema.js";
import { sweep } from "../../src/workflows/sweep.js";
import { api, db, fetchWith, idleWorkflows, newRef, registration } from "../backbone/helpers.js";
import { sign } from "../../src/auth/standard-webhooks.js";
import { DEMO_SECRET } from "../backbone/helpers.js";
import { getTimeline } from "../../src/timelines/catalog.js";
import { pageText, signedIn } from "../web/browser.js";

let spy: Awaited<ReturnType<typeof idleWorkflows>>;
beforeEach(async () => { spy = await idleWorkflows(); });
afterEach(async () => { await spy.dispose(); });

/** The engine as it answers when full: every creation fails. */
const refusing = {
  create: () => Promise.reject(new Error("SQLITE_FULL: database or disk is full")),
  get: (id: string) => env.TIMELINE.get(id),
} as unknown as Workflow;

async function postRefused(ref: string): Promise<Response> {
  const body = JSON.stringify(registration(ref));
  const id = `msg_${crypto.randomUUID()}`;
  const ts = Math.floor(Date.now() / 1000);
  return fetchWith({ TIMELINE: refusing }, "/webhooks/events", {
    method: "POST", body,
    headers: { "Content-Type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": await sign(DEMO_SECRET, id, ts, body) },
  });
}

it("records the event when the engine refuses its workflow, counts the failure for administrators, and the sweep starts it", async () => {
  const ref = newRef();
  const res = await postRefused(ref);
  expect(res.status).toBe(201);
  const { timelines } = (await res.json()) as { timelines: { instanceId: string }[] };
  const instanceId = timelines[0]!.instanceId;

  const failure = await db().select().from(workflowFailures).where(eq(workflowFailures.instanceId, instanceId)).get();
  expect(failure).toEqual(expect.objectContaining({ action: "start", error: "Error", attempts: 1 }));
  const outbox = (await (await api("GET", "/api/v1/outbox")).json()) as { delivery: { workflowsNotRunning: number } };
  expect(outbox.delivery.workflowsNotRunning).toBe(1);
  const page = pageText(await (await (await signedIn("amministratore@example.org")).go("/admin/posta")).text());
  expect(page).toContain("Scadenzari senza processo attivo: 1");
  expect(page).toContain(`${ref} (${getTimeline("362-bis")!.title}): avvio non riuscito (Error), 1 tentativo`);

  const counts = await sweep(env, Date.now());
  expect(counts.recovered).toBe(1);
  expect(await db().select().from(workflowFailures).all()).toEqual([]);
  const row = (await db().select().from(timelineInstances).where(eq(timelineInstances.id, instanceId)).get())!;
  expect(row.workflowId).not.toBe(instanceId);
  expect(["queued", "running", "waiting"]).toContain((await (await env.TIMELINE.get(row.workflowId)).status()).status);
});

it("keeps the failure, with its attempts, while the engine still refuses", async () => {
  const res = await postRefused(newRef());
  const instanceId = ((await res.json()) as { timelines: { instanceId: string }[] }).timelines[0]!.instanceId;
  const counts = await sweep({ ...env, TIMELINE: refusing }, Date.now());
  expect(counts.recovered).toBe(0);
  const failure = (await db().select().from(workflowFailures).where(eq(workflowFailures.instanceId, instanceId)).get())!;
  expect(failure.attempts).toBe(2);
  await sweep(env, Date.now());
  expect(await db().select().from(workflowFailures).where(eq(workflowFailures.instanceId, instanceId)).get()).toBeUndefined();
});
