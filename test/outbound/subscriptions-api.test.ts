/** /api/v1/subscriptions: administrators manage outbound webhooks; the secret is shown once; every change is audited. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, PROCURA_TOKEN, api, fetchWith } from "../backbone/helpers.js";
import { fakeEndpoint } from "../fake-endpoint/client.js";
import { subscribe } from "./helpers.js";

const KINDS = ["deadline.opened", "deadline.closed"];

/** The acts on a subscription (the disclosures each delivery writes are tested in test/security/access-reasons.test.ts). */
async function auditActions(subscription: string): Promise<string[]> {
  const rows = await env.DB.prepare("SELECT action FROM audit_log WHERE json_extract(detail, '$.subscription') = ? AND action != 'outbound.delivered' ORDER BY id").bind(subscription).all<{ action: string }>();
  return rows.results.map((r) => r.action);
}

describe("creating a subscription", () => {
  it("answers 201 with the signing secret, which no later answer shows again", async () => {
    const endpoint = fakeEndpoint(`create-${crypto.randomUUID()}`);
    const res = await api("POST", "/api/v1/subscriptions", { body: { office: "cuav-torino", url: endpoint.url, kinds: KINDS, description: "Registro del centro" } });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; secret: string; status: string; parallelism: number };
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created).toMatchObject({ status: "active", parallelism: 2 });
    const read = await (await api("GET", `/api/v1/subscriptions/${created.id}`)).text();
    const list = await (await api("GET", "/api/v1/subscriptions")).text();
    expect(read).not.toContain(created.secret);
    expect(list).not.toContain(created.secret);
    expect(list).toContain(created.id);
    expect(await auditActions(created.id)).toEqual(["subscription.created"]);
  });

  it("refuses an endpoint that is not HTTPS outside local development, with the field named", async () => {
    const res = await fetchWith({ APP_BASE_URL: "https://termini.giustizia.example", RESEND_API_KEY: "re_x", RATE_LIMIT_KEY: "k".repeat(32) }, "/api/v1/subscriptions", {
      method: "POST", headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ office: "cuav-torino", url: "http://127.0.0.1:9/hook", kinds: KINDS }),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: "invalid_body", parameter: "url" });
  });

  it("refuses credentials in the address, an unknown office, an unknown kind and a repeated kind", async () => {
    const url = fakeEndpoint("refused").url;
    const cases: [Record<string, unknown>, string][] = [
      [{ office: "cuav-torino", url: url.replace("http://", "http://user:pw@"), kinds: KINDS }, "url"],
      [{ office: "nessuno", url, kinds: KINDS }, "office"],
      [{ office: "cuav-torino", url, kinds: ["deadline.deleted"] }, "kinds.0"],
      [{ office: "cuav-torino", url, kinds: ["deadline.opened", "deadline.opened"] }, "kinds"],
      [{ office: "cuav-torino", url, kinds: KINDS, parallelism: 0 }, "parallelism"],
    ];
    for (const [body, parameter] of cases) {
      const res = await api("POST", "/api/v1/subscriptions", { body });
      expect(res.status, parameter).toBe(422);
      expect(((await res.json()) as { parameter?: string; errors?: { parameter: string }[] })).toSatisfy(
        (p: { parameter?: string; errors?: { parameter: string }[] }) => p.parameter === parameter || (p.errors ?? []).some((e) => e.parameter === parameter),
      );
    }
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM subscriptions WHERE office_id = 'nessuno' OR url LIKE '%user:pw%'").first<{ n: number }>();
    expect(stored!.n).toBe(0);
  });

  it("is for administrators only: a Procura's credential gets 403 (and sees only its own office's), no credential 401", async () => {
    const body = { office: "procura-torino", url: fakeEndpoint("x").url, kinds: KINDS };
    expect((await api("POST", "/api/v1/subscriptions", { token: PROCURA_TOKEN, body })).status).toBe(403);
    const own = await subscribe(`own-${crypto.randomUUID()}`, { office: "procura-torino", kinds: KINDS });
    const other = await subscribe(`other-${crypto.randomUUID()}`, { office: "cuav-torino", kinds: KINDS });
    const listed = (await (await api("GET", "/api/v1/subscriptions", { token: PROCURA_TOKEN })).json()) as { subscriptions: { id: string; office: string }[] };
    expect(listed.subscriptions.map((s) => s.id)).toContain(own.id);
    expect(listed.subscriptions.every((s) => s.office === "procura-torino")).toBe(true);
    expect((await api("GET", `/api/v1/subscriptions/${other.id}`, { token: PROCURA_TOKEN })).status).toBe(404);
    expect((await api("GET", "/api/v1/subscriptions", { token: null })).status).toBe(401);
  });
});

describe("changing a subscription", () => {
  it("disables and enables it, and says which fields changed in the audit log", async () => {
    const { id } = await subscribe(`patch-${crypto.randomUUID()}`, { office: "cuav-torino", kinds: KINDS });
    const off = await api("PATCH", `/api/v1/subscriptions/${id}`, { body: { enabled: false, parallelism: 5 } });
    expect(await off.json()).toMatchObject({ status: "paused", parallelism: 5 });
    const on = await api("PATCH", `/api/v1/subscriptions/${id}`, { body: { enabled: true } });
    expect(await on.json()).toMatchObject({ status: "active" });
    expect(await auditActions(id)).toEqual(["subscription.created", "subscription.paused", "subscription.resumed"]);
  });

  it("answers 404 for an unknown subscription and 422 for an unknown field", async () => {
    expect((await api("PATCH", "/api/v1/subscriptions/sub_nessuno", { body: { enabled: false } })).status).toBe(404);
    const { id } = await subscribe(`patch-bad-${crypto.randomUUID()}`, { office: "cuav-torino", kinds: KINDS });
    const res = await api("PATCH", `/api/v1/subscriptions/${id}`, { body: { office: "procura-torino" } });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: "invalid_body" });
  });

  it("rotates the secret: events are signed with both until the old one expires a day later", async () => {
    const { endpoint, id, secret } = await subscribe(`rotate-${crypto.randomUUID()}`, { office: "cuav-torino", kinds: KINDS });
    const rotated = (await (await api("POST", `/api/v1/subscriptions/${id}/rotate`)).json()) as { secret: string; previousExpiresAt: string };
    expect(rotated.secret).not.toBe(secret);
    const hours = (Date.parse(rotated.previousExpiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    // A receiver still on the old secret verifies the test event; so does one on the new.
    for (const s of [secret, rotated.secret]) {
      await endpoint.setup({ secret: s });
      const test = (await (await api("POST", `/api/v1/subscriptions/${id}/test`)).json()) as { outcome: string; status: number };
      expect(test).toMatchObject({ outcome: "delivered", status: 200 });
    }
    const received = await endpoint.received();
    expect(received.map((r) => r.verified)).toEqual([true, true]);
    expect(received[0]!.signature!.split(" ")).toHaveLength(2);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ type: "webhook.test", data: { subscription: id, office: "cuav-torino" } });
    expect(await auditActions(id)).toEqual(["subscription.created", "subscription.secret-rotated", "subscription.tested", "subscription.tested"]);
  });
});

describe("deliveries", () => {
  it("lists the test event's delivery with its attempt log", async () => {
    const { endpoint, id } = await subscribe(`log-${crypto.randomUUID()}`, { office: "cuav-torino", kinds: KINDS });
    await endpoint.setup({ statuses: [503] });
    const first = (await (await api("POST", `/api/v1/subscriptions/${id}/test`)).json()) as { outcome: string; status: number; error: string };
    expect(first).toMatchObject({ outcome: "retrying", status: 503, error: "HTTP 503" });
    const view = (await (await api("GET", `/api/v1/subscriptions/${id}`)).json()) as { status: string; deliveries: { kind: string; status: string; attempts: number; nextAttemptAt: string; log: { status: number; via: string }[] }[] };
    expect(view.status).toBe("failing");
    expect(view.deliveries[0]).toMatchObject({ kind: "webhook.test", status: "pending", attempts: 1, log: [{ status: 503, via: "direct" }] });
    expect(view.deliveries[0]!.nextAttemptAt).toMatch(/\+0[12]:00$/);
  });

  it("redelivers a delivered event under its webhook-id, and refuses while an attempt is under way", async () => {
    const { id, endpoint } = await subscribe(`replay-live-${crypto.randomUUID()}`, { office: "cuav-torino", kinds: KINDS });
    const test = (await (await api("POST", `/api/v1/subscriptions/${id}/test`)).json()) as { delivery: string; outcome: string };
    expect(test.outcome).toBe("delivered");
    const again = await api("POST", `/api/v1/subscriptions/${id}/deliveries/${test.delivery}/replay`);
    expect(await again.json()).toMatchObject({ outcome: "delivered", status: 200 });
    const received = await endpoint.received();
    expect(received.map((r) => [r.id, r.attempt])).toEqual([[received[0]!.id, "1"], [received[0]!.id, "2"]]);
    await env.DB.prepare("UPDATE outbound_deliveries SET status = 'sending', claimed_at = ? WHERE id = ?").bind(Date.now(), test.delivery).run();
    const res = await api("POST", `/api/v1/subscriptions/${id}/deliveries/${test.delivery}/replay`);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: "delivery_in_flight" });
    expect((await api("POST", `/api/v1/subscriptions/${id}/deliveries/nessuna/replay`)).status).toBe(404);
  });
});
