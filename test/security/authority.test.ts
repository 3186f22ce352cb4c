/**
 * Only the office that must act can close its deadline; a caller names
 * offices of its own district only; references are unique per office and
 * in the office's format; a case the caller may not see is answered like
 * one that does not exist.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/digest.js";
import { cases, offices } from "../../src/db/schema.js";
import { MILANO_SECRET, PROCURA_TOKEN, ago, api, casePath, db, expectProblem, idleWorkflows, newRef, postWebhook, registration } from "../backbone/helpers.js";
import { signedIn } from "../web/browser.js";
import { csrfOf } from "../web/csrf.js";

const GIP_TOKEN = "termini-local-gip-token";
const MILANO_TOKEN = "termini-local-procura-milano-token";

const QUESTURA_SECRET = `whsec_${btoa("questura-di-torino-sistema-test")}`;
const HEAD_TOKEN = "test-procuratore-token-0002";

let spy: Awaited<ReturnType<typeof idleWorkflows>>;
beforeAll(async () => {
  spy = await idleWorkflows();
  await env.DB.batch([
    env.DB.prepare("INSERT INTO api_credentials (id, name, token_hash, role, created_at) VALUES ('t-head', 't-head', ?, 'staff', 0)").bind(await sha256Hex(HEAD_TOKEN)),
    env.DB.prepare("INSERT INTO credential_offices (credential_id, office_id) VALUES ('t-head', 'procuratore-torino')"),
    // The Questura's system: acts for the Questura, and is trusted to record urgent removals for the Procura.
    env.DB.prepare("INSERT INTO webhook_senders (id, name, created_at) VALUES ('questura-sistema', 'Sistema della Questura', 0)"),
    env.DB.prepare("INSERT INTO sender_offices (sender_id, office_id) VALUES ('questura-sistema', 'questura-torino')"),
    env.DB.prepare("INSERT INTO webhook_secrets (id, sender_id, secret, created_at) VALUES ('questura-1', 'questura-sistema', ?, 0)").bind(QUESTURA_SECRET),
    env.DB.prepare("INSERT INTO users (id, email, role, created_at) VALUES ('u-gip', 'cancelleria.gip@example.org', 'operator', 0)"),
    env.DB.prepare("INSERT INTO user_offices (user_id, office_id) VALUES ('u-gip', 'gip-torino')"),
  ]);
});
afterAll(async () => { await spy.dispose(); });

const send = (token: string, ref: string, type: string, data: Record<string, unknown> = {}, occurredAt = ago(60_000)) =>
  api("POST", `${casePath(ref)}/events`, { token, body: { type, occurredAt, data } });


async function registered(): Promise<string> {
  const ref = newRef();
  expect((await send(PROCURA_TOKEN, ref, "suspect.registered", { jurisdiction: "TO" }, ago(86_400_000))).status).toBe(201);
  return ref;
}

describe("authority per stage", () => {
  it("refuses the GIP's token the PM's closing event, with the reason, and lets the Procura record it", async () => {
    const ref = await registered();
    const refused = await expectProblem(await send(GIP_TOKEN, ref, "measures.requested"), 403, "forbidden");
    expect(refused.detail).toContain("procura-torino (procura)");
    expect((await send(PROCURA_TOKEN, ref, "measures.requested")).status).toBe(201);
  });

  it("refuses the Procura's token the GIP's decision, and lets the GIP record it", async () => {
    const ref = await registered();
    expect((await send(PROCURA_TOKEN, ref, "measures.requested", {}, ago(3_600_000))).status).toBe(201);
    const refused = await expectProblem(await send(PROCURA_TOKEN, ref, "measures.decided"), 403, "forbidden");
    expect(refused.detail).toContain("gip-torino (gip)");
    expect((await send(GIP_TOKEN, ref, "measures.decided")).status).toBe(201);
  });

  it("lets an office above the responsible one in the chain act for it", async () => {
    const ref = await registered();
    expect((await send(HEAD_TOKEN, ref, "measures.not-requested")).status).toBe(201);
  });

  it("lets a sender trusted for an event type record it, and nothing else", async () => {
    const ref = newRef();
    const removal = { type: "removal.executed", caseRef: ref, occurredAt: ago(3_600_000), data: { jurisdiction: "TO" } };
    expect((await postWebhook(removal, { secret: QUESTURA_SECRET })).status).toBe(403);
    await env.DB.prepare("INSERT INTO sender_event_types (sender_id, event_type) VALUES ('questura-sistema', 'removal.executed')").run();
    expect((await postWebhook({ ...removal, caseRef: newRef() }, { secret: QUESTURA_SECRET })).status).toBe(201);
    const request = await postWebhook({ type: "validation.requested", caseRef: ref, occurredAt: ago(60_000), data: {} }, { secret: QUESTURA_SECRET });
    expect(request.status).toBeGreaterThanOrEqual(403);
    expect(request.status).toBeLessThan(500);
  });

  it("refuses a correction or cancellation by an office that could not have recorded the event", async () => {
    const ref = await registered();
    const requested = await send(PROCURA_TOKEN, ref, "measures.requested");
    const eventId = ((await requested.json()) as { event: { id: string } }).event.id;
    await expectProblem(await send(GIP_TOKEN, ref, "event.cancelled", { eventId }), 403, "forbidden");
    expect((await send(PROCURA_TOKEN, ref, "event.corrected", { eventId, occurredAt: ago(120_000) })).status).toBe(201);
  });

  it("keeps the opening of system obligations to the system", async () => {
    const res = await api("POST", `${casePath(newRef())}/events`, {
      body: { type: "period.compliance-quarterly", occurredAt: ago(1000), data: { offices: { procura: "procura-torino" }, dueDate: "2026-12-31" } },
    });
    await expectProblem(res, 403, "forbidden");
  });

  it("offers and accepts on the web form only the actions of the user's own office", async () => {
    const ref = await registered();
    const gip = await signedIn("cancelleria.gip@example.org");
    const page = await (await gip.go(`/cases/${encodeURIComponent(ref)}`)).text();
    expect(page).not.toContain("evento=measures.requested");
    const csrf = csrfOf(page);
    const res = await gip.go(`/azioni/${encodeURIComponent(ref)}?ufficio=procura-torino`, { form: { csrf, evento: "measures.requested", data: "01/11/2026", ora: "10:00" } });
    expect(res.status).toBe(403);
  });
});

describe("offices named in an event", () => {
  it("refuses an office of another district, even next to one of the caller's own", async () => {
    const both = await postWebhook({ ...registration(newRef()), data: { offices: { procura: "procura-torino", gip: "gip-milano" } } });
    expect((await expectProblem(both, 403, "forbidden")).parameter).toBe("data.offices.gip");
    const district = await postWebhook({ ...registration(newRef()), data: { jurisdiction: "MI" } });
    expect((await expectProblem(district, 403, "forbidden")).parameter).toBe("data.jurisdiction");
  });
});

describe("references", () => {
  it("lets Milan register the same number as Turin, as a case of its own", async () => {
    const ref = newRef();
    expect((await postWebhook(registration(ref))).status).toBe(201);
    const milan = await postWebhook({ ...registration(ref), data: { jurisdiction: "MI" } }, { secret: MILANO_SECRET });
    expect(milan.status).toBe(201);
    const owners = (await db().select().from(cases).where(eq(cases.ref, ref)).all()).map((c) => c.ownerOfficeId).sort();
    expect(owners).toEqual(["procura-milano", "procura-torino"]);

    expect(((await (await api("GET", casePath(ref), { token: PROCURA_TOKEN })).json()) as { office: string }).office).toBe("procura-torino");
    expect(((await (await api("GET", casePath(ref), { token: MILANO_TOKEN })).json()) as { office: string }).office).toBe("procura-milano");
    // The administrator sees both: the number alone is ambiguous, the district or the office is not.
    const ambiguous = await expectProblem(await api("GET", casePath(ref)), 409, "ambiguous_case");
    expect(ambiguous.detail).toContain("office=procura-milano");
    expect(((await (await api("GET", `${casePath(ref)}?district=MI`)).json()) as { office: string }).office).toBe("procura-milano");
    expect(((await (await api("GET", `${casePath(ref)}?office=procura-torino`)).json()) as { office: string }).office).toBe("procura-torino");
  });

  it("answers a case the caller may not see exactly as one that does not exist", async () => {
    const ref = await registered();
    const hidden = await api("GET", casePath(ref), { token: MILANO_TOKEN });
    const absent = await api("GET", casePath("7654321/2099"), { token: MILANO_TOKEN });
    expect([hidden.status, absent.status]).toEqual([404, 404]);
    expect((await send(MILANO_TOKEN, ref, "measures.requested")).status).toBe(404);
    const viaWebhook = await postWebhook({ type: "measures.requested", caseRef: ref, occurredAt: ago(1000), data: {} }, { secret: MILANO_SECRET });
    const nowhere = await postWebhook({ type: "measures.requested", caseRef: "7654321/2099", occurredAt: ago(1000), data: {} }, { secret: MILANO_SECRET });
    const [a, b] = [(await viaWebhook.json()) as { code: string }, (await nowhere.json()) as { code: string }];
    expect([viaWebhook.status, a.code]).toEqual([nowhere.status, b.code]);
  });

  it.each(["Nome Cognome 1", "Cognome-1/2026", "1234/26", "12345678/2026"])("refuses %j as a reference in the RGNR form, on the webhook and the API", async (ref) => {
    const hook = await postWebhook(registration(ref));
    expect(hook.status).toBeGreaterThanOrEqual(400);
    expect(hook.status).toBeLessThan(500);
    const created = await api("POST", "/api/v1/cases", { token: PROCURA_TOKEN, body: { ref, offices: { procura: "procura-torino" } } });
    expect(created.status).toBeGreaterThanOrEqual(400);
    expect(created.status).toBeLessThan(500);
    expect(await db().select().from(cases).where(eq(cases.ref, ref)).all()).toEqual([]);
  });

  it("takes an office's own configured format", async () => {
    await db().update(offices).set({ refPattern: String.raw`Q-\d{1,6}/\d{4}` }).where(eq(offices.id, "questura-torino")).run();
    const offence = (caseRef: string) => ({ type: "offence.committed", caseRef, occurredAt: ago(3_600_000), data: { jurisdiction: "TO" } });
    await env.DB.prepare("INSERT OR IGNORE INTO sender_offices (sender_id, office_id) VALUES ('demo', 'questura-torino')").run();
    expect((await postWebhook(offence("Q-4521/2026"))).status).toBe(201);
    expect((await postWebhook(offence("4521/2026"))).status).toBe(422);
  });
});
