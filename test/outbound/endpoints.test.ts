/**
 * Outbound endpoints cannot point inside (security review: every address
 * below answered 201, and a test event would have posted a signed request
 * there, the relay included). Refused with an Italian 422 at creation and on
 * every change, and again when a delivery would use an address stored
 * before the rule: dead at once, nothing posted. A local deployment keeps
 * plain HTTP to this machine.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Bindings } from "../../src/env.js";
import { endpointProblem } from "../../src/outbound/endpoint.js";
import { qstashToken } from "../fake-qstash/token.js";
import { api, fetchWith } from "../backbone/helpers.js";
import { subscribe } from "./helpers.js";

/** A deployment that is not local: what production checks. */
const DEPLOYED = { APP_BASE_URL: "https://termini.example.org", RESEND_API_KEY: "re_test_key", RATE_LIMIT_KEY: "a-rate-limit-key-of-more-than-32-characters" } as Partial<Bindings>;
const asDeployed = (method: string, path: string, body?: unknown) => fetchWith(DEPLOYED, path, {
  method, headers: { Authorization: "Bearer termini-local-demo-token", "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
});
const subscriptions = async () => (await env.DB.prepare("SELECT count(*) AS n FROM subscriptions").first<{ n: number }>())!.n;

/** The review's addresses, and the other spellings and ranges the issue names. */
const INSIDE = [
  "https://169.254.169.254/latest/meta-data/", "https://10.0.0.1/", "https://[fc00::1]/", "https://2130706433/", "https://0x7f000001/", "https://127.1/",
  "https://[::ffff:127.0.0.1]/", "https://localhost./", "https://metadata.google.internal/", "https://0177.0.0.1/", "https://017700000001/", "https://0x7f.1/",
  "https://100.64.0.1/", "https://192.168.1.10/", "https://172.16.0.1/", "https://224.0.0.1/", "https://240.0.0.1/", "https://0.0.0.0/", "https://[::]/",
  "https://[::1]/", "https://[fe80::1]/", "https://[ff02::1]/", "https://[64:ff9b::a00:1]/", "https://[2002:a00:1::]/", "https://[2001::1]/", "https://[::10.0.0.1]/",
  "https://a.localhost/", "https://printer.local/", "https://db.internal./", "https://router.home.arpa/", "https://intranet/",
];

describe("the address check", () => {
  it.each(INSIDE)("refuses %s", (url) => {
    expect(endpointProblem(url, false)).toMatch(/non è pubblico|rete locale|nome di dominio completo/);
  });

  it("takes a public HTTPS address, and on a developer's machine also this machine over HTTP", () => {
    for (const url of ["https://ricevente.example.org/termini", "https://93.184.216.34/x", "https://[2606:4700::1111]/"]) expect(endpointProblem(url, false)).toBeNull();
    expect(endpointProblem("http://ricevente.example.org/", false)).toBe("l'endpoint deve essere HTTPS");
    expect(endpointProblem("https://utente:segreta@ricevente.example.org/", false)).toBe("l'indirizzo non può contenere credenziali");
    for (const url of ["http://127.0.0.1:8080/", "http://localhost:8080/", "http://[::1]:8080/"]) {
      expect(endpointProblem(url, true)).toBeNull();
      expect(endpointProblem(url, false)).not.toBeNull();
    }
    // Local development allows this machine only: the rest of the inside stays refused.
    expect(endpointProblem("http://10.0.0.1/", true)).not.toBeNull();
  });
});

describe("a subscription", () => {
  it("is refused at creation with a clear Italian 422, and none is created, for every inside address", async () => {
    const before = await subscriptions();
    for (const url of INSIDE) {
      const res = await asDeployed("POST", "/api/v1/subscriptions", { office: "cuav-torino", url, kinds: ["deadline.opened"] });
      expect(res.status, url).toBe(422);
      const problem = (await res.json()) as { code: string; detail: string; parameter: string };
      expect(problem, url).toMatchObject({ code: "invalid_body", parameter: "url" });
      expect(problem.detail, url).toMatch(/^url: (l'indirizzo .* non è pubblico|il nome .* (indica una rete locale|non è un nome di dominio completo))/);
    }
    expect(await subscriptions()).toBe(before);
  });

  it("is refused on every change too", async () => {
    const created = await asDeployed("POST", "/api/v1/subscriptions", { office: "cuav-torino", url: "https://ricevente.example.org/termini", kinds: ["deadline.opened"] });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    for (const url of INSIDE) expect((await asDeployed("PATCH", `/api/v1/subscriptions/${id}`, { url })).status, url).toBe(422);
    expect((await env.DB.prepare("SELECT url FROM subscriptions WHERE id = ?").bind(id).first<{ url: string }>())!.url).toBe("https://ricevente.example.org/termini");
    expect((await asDeployed("PATCH", `/api/v1/subscriptions/${id}`, { enabled: false })).status).toBe(200);
  });

  it("keeps plain HTTP to this machine in local development, as before", async () => {
    const res = await api("POST", "/api/v1/subscriptions", { body: { office: "cuav-torino", url: "http://127.0.0.1:9/termini", kinds: ["deadline.opened"] } });
    expect(res.status).toBe(201);
    expect((await api("PATCH", `/api/v1/subscriptions/${((await res.json()) as { id: string }).id}`, { body: { enabled: false } })).status).toBe(200);
  });
});

describe("at delivery time, an address stored before the rule", () => {
  let sub: Awaited<ReturnType<typeof subscribe>>;
  beforeAll(async () => {
    sub = await subscribe(`inside-${crypto.randomUUID()}`, { office: "cuav-torino", kinds: ["deadline.opened"] });
    // As a subscription created before the check would hold it: this machine, written in IPv6.
    const port = new URL(sub.endpoint.url).port;
    await env.DB.prepare("UPDATE subscriptions SET url = ? WHERE id = ?").bind(`https://[::ffff:7f00:1]:${port}/termini`, sub.id).run();
  });

  it("gets nothing posted: the delivery is dead at once, with the reason", async () => {
    const res = await asDeployed("POST", `/api/v1/subscriptions/${sub.id}/test`);
    expect(res.status).toBe(200);
    const outcome = (await res.json()) as { delivery: string; outcome: string };
    expect(outcome.outcome).toBe("dead");
    const row = await env.DB.prepare("SELECT status, last_error AS error FROM outbound_deliveries WHERE id = ?").bind(outcome.delivery).first<{ status: string; error: string }>();
    expect(row).toEqual({ status: "dead", error: "endpoint non consentito: l'indirizzo 127.0.0.1 non è pubblico (indirizzo di questa stessa macchina): serve un indirizzo raggiungibile da Internet" });
    expect(await sub.endpoint.received()).toEqual([]);
  });

  it("gets nothing posted by the QStash relay either: dead at once, and QStash answered so that it stops", async () => {
    const keys = { QSTASH_TOKEN: "qstash-test-token", QSTASH_CURRENT_SIGNING_KEY: "sig_current_test", QSTASH_NEXT_SIGNING_KEY: "sig_next_test" };
    const eventId = `msg_${crypto.randomUUID().replaceAll("-", "")}`;
    const body = JSON.stringify({ type: "deadline.opened", timestamp: "2026-11-23T10:00:00+01:00", data: { n: eventId } });
    const id = `${eventId}.${sub.id}`;
    await env.DB.batch([
      env.DB.prepare("INSERT INTO outbound_events (id, kind, case_id, body, created_at) VALUES (?, 'deadline.opened', NULL, ?, 0)").bind(eventId, body),
      env.DB.prepare("INSERT INTO outbound_deliveries (id, event_id, subscription_id, status, due_at, message_id, created_at) VALUES (?, ?, ?, 'published', 0, 'msg_q', 0)").bind(id, eventId, sub.id),
    ]);
    const signature = await qstashToken(keys.QSTASH_CURRENT_SIGNING_KEY, `${DEPLOYED.APP_BASE_URL}/webhooks/qstash/relay`, body);
    const res = await fetchWith({ ...DEPLOYED, ...keys }, "/webhooks/qstash/relay", {
      method: "POST", body, headers: { "Content-Type": "application/json", "Upstash-Signature": signature, "Termini-Delivery": id },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ delivered: false, refused: expect.stringMatching(/^endpoint non consentito/) });
    expect(await env.DB.prepare("SELECT status FROM outbound_deliveries WHERE id = ?").bind(id).first()).toEqual({ status: "dead" });
    expect(await sub.endpoint.received()).toEqual([]);
  });
});
