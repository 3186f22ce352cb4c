/**
 * Filing the reports whose obligation is not running here (no scheduled obligation case: the
 * deployment did not start it, or it was never due on this service): the national report by the
 * Department for equal opportunities, the half-year compliance data by the Procuratore generale.
 * The version is still transmitted, disclosed to the recipient the law names and told to
 * subscribers; a withdrawal reopens nothing, since nothing was closed, and tells whoever was told.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, cases } from "../../src/db/schema.js";
import { sha256Hex } from "../../src/lib/digest.js";
import { PROCURA_TOKEN, api, db, expectProblem } from "../backbone/helpers.js";

const MINISTRY = "termini-local-ministero-token";
const PG = "test-pg-torino-filing-token";

beforeAll(async () => {
  await env.DB.batch([
    env.DB.prepare("INSERT INTO api_credentials (id, name, token_hash, role, created_at) VALUES ('t-pg-filing', 'PG Torino', ?, 'staff', 0)").bind(await sha256Hex(PG)),
    env.DB.prepare("INSERT INTO credential_offices (credential_id, office_id) VALUES ('t-pg-filing', 'pg-torino')"),
  ]);
});

const post = (path: string, token: string) => api("POST", path, { token });
const audits = (action: string) => db().select().from(auditLog).where(eq(auditLog.action, action)).all();
const told = async (subscription: string) =>
  (await env.DB.prepare("SELECT e.kind, e.body FROM outbound_deliveries d JOIN outbound_events e ON e.id = d.event_id WHERE d.subscription_id = ? ORDER BY e.created_at, e.kind")
    .bind(subscription).all<{ kind: string; body: string }>()).results;

describe("filing with no obligation running", () => {
  it("transmits the national report, tells the Department's subscriber, and a withdrawal tells it too and reopens nothing", async () => {
    expect((await api("GET", "/api/v1/reports/national/2025?format=json", { token: MINISTRY })).status).toBe(200);
    const sub = await api("POST", "/api/v1/subscriptions", { body: { office: "dipartimento-po", url: "https://registro.example.org/dpo", kinds: ["report.published"] } });
    expect(sub.status).toBe(201);
    const { id: subscription } = (await sub.json()) as { id: string };
    const casesBefore = await db().select({ id: cases.id }).from(cases).all();

    // A Procura cannot file the Department's report.
    await expectProblem(await post("/api/v1/reports/national/2025/submit", PROCURA_TOKEN), 403, "forbidden");
    const res = await post("/api/v1/reports/national/2025/submit", MINISTRY);
    expect(res.status, await res.clone().text()).toBe(200);
    // No obligation was running to close.
    expect(await res.json()).toMatchObject({ kind: "national", period: "2025", submitted: true, obligation: null });
    const [submitted] = await audits("report.submitted");
    expect(submitted).toMatchObject({ actor: "credential:demo-ministero", reason: "trasmissione prevista dalla legge (proposta di legge del 2020 (Senato), art. 1, comma 6)" });
    expect(submitted!.detail).toMatchObject({ kind: "national", period: "2025", recipients: ["alle Camere, dal Ministro delegato per le pari opportunità"] });
    expect((await told(subscription)).map((e) => e.kind)).toEqual(["report.published"]);

    const back = await post("/api/v1/reports/national/2025/withdraw", MINISTRY);
    expect(back.status, await back.clone().text()).toBe(200);
    expect(await back.json()).toMatchObject({ kind: "national", period: "2025", submitted: false });
    expect(await audits("report.withdrawn")).toHaveLength(1);
    const sent = await told(subscription);
    expect(sent.map((e) => e.kind)).toEqual(["report.published", "report.withdrawn"]);
    expect(JSON.parse(sent[1]!.body).data.report).toMatchObject({ kind: "national", period: "2025" });
    // Nothing was closed, so nothing reopened or was created: no case was written.
    expect(await db().select({ id: cases.id }).from(cases).all()).toEqual(casesBefore);
    const versions = (await (await api("GET", "/api/v1/reports/national/2025/versions", { token: MINISTRY })).json()) as { versions: { submittedAt: number | null; withdrawnAt: number | null }[] };
    expect(versions.versions.at(-1)).toMatchObject({ submittedAt: null, withdrawnAt: expect.any(Number) });
  });

  it("lets the Procuratore generale transmit its district's half-year, and no one else", async () => {
    expect((await api("GET", "/api/v1/reports/compliance-half-yearly/2025-H1", { token: PG })).status).toBe(200);
    // The Ministry reads any district's half-year, but the PG of the district files it.
    await expectProblem(await post("/api/v1/reports/compliance-half-yearly/2025-H1/submit?district=TO", MINISTRY), 403, "forbidden");
    const res = await post("/api/v1/reports/compliance-half-yearly/2025-H1/submit", PG);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ kind: "compliance-half-yearly", period: "2025-H1", scope: "TO", submitted: true, obligation: null });
    const entry = (await audits("report.submitted")).find((a) => a.actor === "credential:t-pg-filing");
    expect(entry!.detail).toMatchObject({ kind: "compliance-half-yearly", scope: "TO", recipients: ["al Procuratore generale presso la Corte di cassazione"] });
    expect(entry!.reason).toBe("trasmissione prevista dalla legge (art. 127, comma 1-bis, disp. att. c.p.p.)");
    // Filed once: a second transmission of the same version is refused.
    await expectProblem(await post("/api/v1/reports/compliance-half-yearly/2025-H1/submit", PG), 409, "stage_closed");
    // The Ministry, which did not transmit it, cannot withdraw it.
    await expectProblem(await post("/api/v1/reports/compliance-half-yearly/2025-H1/withdraw?district=TO", MINISTRY), 403, "forbidden");
    expect((await audits("report.withdrawn")).filter((a) => (a.detail as { kind: string }).kind === "compliance-half-yearly")).toEqual([]);
  });
});
