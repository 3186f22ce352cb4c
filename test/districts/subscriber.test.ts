/**
 * A failing subscriber in the district layout: its deliveries fail in Turin's
 * database, where the run of failures is recorded; Termini disables it in the
 * central directory and in Turin's copy, and tells the office and the
 * administrators (whose accounts live centrally); resumed by hand, every
 * district starts its health afresh, so one more failure does not disable it
 * again at once. The event log reads Turin's rows with a cursor that a purge
 * of the newest rows cannot send back.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../src/env.js";
import { sweep } from "../../src/workflows/sweep.js";
import { retention } from "../../src/workflows/retention.js";
import { PROCURA_TOKEN, api, newRef, postWebhook, registration } from "../backbone/helpers.js";
import { subscribe } from "../outbound/helpers.js";
import { idleInEveryDatabase } from "./helpers.js";

idleInEveryDatabase();

const health = (d1: D1Database, id: string) =>
  d1.prepare("SELECT failing_since AS failing, flagged_at AS flagged, disabled_at AS disabled FROM subscriptions WHERE id = ?").bind(id).first<{ failing: number | null; flagged: number | null; disabled: number | null }>();

describe("an endpoint failing in a district", () => {
  it("is disabled centrally and in the district, the administrators told, and resumed afresh everywhere", async () => {
    const settings = { ...env, WEBHOOK_ALERT_AFTER_MS: "60000", WEBHOOK_DISABLE_AFTER_MS: "600000" } as Bindings;
    const { id, endpoint } = await subscribe(`district-failing-${crypto.randomUUID()}`, { office: "procura-torino", kinds: ["deadline.opened"] });
    await endpoint.setup({ always: 503 });
    expect((await postWebhook(registration(newRef()))).status).toBe(201);
    const t0 = Date.now();
    for (let at = t0; at < t0 + 900_000; at += 60_000) await sweep(settings, at);
    expect((await health(env.DB, id))!.disabled).not.toBeNull();
    expect((await health(env.DISTRICT_TO, id))!.disabled).not.toBeNull();
    // The local mailer keeps what it sends in the outbox of the database that sent it: Turin's.
    const mails = await env.DISTRICT_TO.prepare("SELECT recipients, subject FROM mail_outbox WHERE text LIKE ?").bind(`%/webhook/${id}%`).all<{ recipients: string; subject: string }>();
    const disabled = mails.results.find((m) => m.subject.startsWith("[Termini] Webhook disattivato"));
    expect(disabled?.recipients).toContain("amministratore@example.org");
    expect(disabled?.recipients).toContain("fasce.deboli.procura.torino@example.org");

    const resumed = await api("PATCH", `/api/v1/subscriptions/${id}`, { token: PROCURA_TOKEN, body: { enabled: true } });
    expect(await resumed.json()).toMatchObject({ status: "active", failingSince: null });
    expect(await health(env.DISTRICT_TO, id)).toMatchObject({ failing: null, flagged: null, disabled: null });
    // One failure after the resume starts a new run: not disabled again.
    expect((await postWebhook(registration(newRef()))).status).toBe(201);
    await sweep(settings, Date.now());
    expect((await health(env.DB, id))!.disabled).toBeNull();
  });
});

describe("the event log in a district", () => {
  it("keeps its cursor's promise after the newest rows are purged: what comes next is still after it", async () => {
    const { id } = await subscribe(`district-log-${crypto.randomUUID()}`, { office: "procura-torino", kinds: ["deadline.opened"] });
    expect((await postWebhook(registration(newRef()))).status).toBe(201);
    const first = (await (await api("GET", `/api/v1/subscriptions/${id}/events`, { token: PROCURA_TOKEN })).json()) as { events: unknown[]; cursor: string };
    expect(first.events).toHaveLength(1);
    // Every row of Turin's log old and settled, then purged: the newest rowid goes too.
    await env.DISTRICT_TO.batch([
      env.DISTRICT_TO.prepare("UPDATE outbound_events SET created_at = 0"),
      env.DISTRICT_TO.prepare("UPDATE outbound_deliveries SET status = 'delivered'"),
    ]);
    await retention(env, Date.now());
    expect((await env.DISTRICT_TO.prepare("SELECT count(*) AS n FROM outbound_deliveries").first<{ n: number }>())!.n).toBe(0);
    const ref = newRef();
    expect((await postWebhook(registration(ref))).status).toBe(201);
    const next = (await (await api("GET", `/api/v1/subscriptions/${id}/events?after=${first.cursor}`, { token: PROCURA_TOKEN })).json()) as { events: { payload: { data: { case: { ref: string } } } }[] };
    expect(next.events.map((e) => e.payload.data.case.ref)).toEqual([ref]);
  });
});
