/**
 * Reports through the API: figures from real events, who sees what,
 * versions with their snapshot and checksum, and filing that closes the
 * obligation.
 */
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/digest.js";
import { auditLog, cases, timelineInstances } from "../../src/db/schema.js";
import { startScheduled } from "../../src/workflows/schedule.js";
import { PROCURA_TOKEN, api, db, expectProblem, fetchWith, idleWorkflows, newRef, record } from "../backbone/helpers.js";
import { formatRomeInstant } from "../../src/engine/rome.js";

const MINISTRY = "termini-local-ministero-token";
const REGION = "termini-local-regione-token";
const LOMBARDY = "test-lombardia-region-token";

let spy: Awaited<ReturnType<typeof idleWorkflows>>;
beforeAll(async () => {
  spy = await idleWorkflows();
  await env.DB.prepare("INSERT INTO api_credentials (id, name, token_hash, role, created_at, region) VALUES ('t-lom', 'Lombardia', ?, 'region', 0, 'Lombardia')")
    .bind(await sha256Hex(LOMBARDY)).run();
  // 2025: six PM assessments in Turin, five on time (after 10 days), one late (after 40 days).
  for (let i = 0; i < 6; i++) {
    const ref = newRef();
    await record(ref, "suspect.registered", "2025-03-02T10:00:00+01:00", { jurisdiction: "TO" });
    await record(ref, "measures.requested", i < 5 ? "2025-03-12T10:00:00+01:00" : "2025-04-11T10:00:00+02:00");
  }
  // Five registered in November 2025 whose assessment (due in December) is still not recorded.
  for (let i = 0; i < 5; i++) await record(newRef(), "suspect.registered", "2025-11-20T10:00:00+01:00", { jurisdiction: "TO" });
  // Two programmes started at the CUAV: a small count.
  for (let i = 0; i < 2; i++) {
    const ref = newRef();
    await record(ref, "sentence.irrevocable", "2025-04-14T10:00:00+02:00", { jurisdiction: "TO", dueDate: "2025-05-14", durationMonths: "8" });
    await record(ref, "programme.started-suspended-sentence", "2025-05-05T10:00:00+02:00");
  }
});
afterAll(async () => { await spy.dispose(); });

const json = async (res: Response) => (await res.json()) as {
  tables: { id: string; rows: Record<string, string | number>[] }[]; version: number; checksum: string; monthly: { month: string; deadlines: string | number }[];
};

describe("the regional report", () => {
  it("counts what happened, small counts as <5, shares and medians only from published counts", async () => {
    const res = await api("GET", "/api/v1/reports/regional/2025?format=json", { token: REGION });
    expect(res.status).toBe(200);
    expect(res.headers.get("X-Report-Checksum")).toMatch(/^sha256:[0-9a-f]{64}$/);
    const doc = await json(res);
    const terms = doc.tables.find((t) => t.id === "362-bis")!.rows;
    // Five on time, one late ("<5"): a share of 83,3% would give the one away. Five deadlines past and still open.
    expect(terms.find((r) => r.term === "Valutazione del PM (30 giorni)")).toMatchObject({ met: 5, late: "<5", open: 5, onTime: "—", median: "—", unit: "giorni" });
    expect(doc.tables.find((t) => t.id === "programmi")!.rows[0]).toMatchObject({ started: "<5" });
    expect(doc.monthly.find((m) => m.month === "2025-03")!.deadlines).toBe(5);
    // Aggregates only: no case reference anywhere in the document.
    expect(JSON.stringify(doc)).not.toMatch(/RGNR-/);
  });

  it("lets a region officer see only its region, and keeps the national report for the Ministry", async () => {
    expect((await api("GET", "/api/v1/reports/regional/2025?region=Piemonte", { token: LOMBARDY })).status).toBe(403);
    expect((await api("GET", "/api/v1/reports/national/2025", { token: REGION })).status).toBe(403);
    expect((await api("GET", "/api/v1/reports/regional/2025?region=Piemonte", { token: PROCURA_TOKEN })).status).toBe(403);
    const national = await json(await api("GET", "/api/v1/reports/national/2025", { token: MINISTRY }));
    expect(national.tables.find((t) => t.id === "362-bis")!.rows.map((r) => r.office)).toContain("Piemonte");
    const missing = await api("GET", "/api/v1/reports/regional/2025", { token: MINISTRY });
    expect([missing.status, ((await missing.json()) as { parameter: string }).parameter]).toEqual([400, "region"]);
  });

  it("answers 404 for a region, district or office the directory does not hold, or a period not yet begun, and stores nothing", async () => {
    const { env } = await import("cloudflare:workers");
    const count = async () => ((await env.DB.prepare("SELECT count(*) AS n FROM reports").first()) as { n: number }).n;
    const before = await count();
    for (const path of [
      "/api/v1/reports/regional/2025?region=Atlantide", "/api/v1/reports/compliance-half-yearly/2025-H1?district=ZZ",
      "/api/v1/reports/compliance-quarterly/2025-Q1?office=procura-inesistente", "/api/v1/reports/national/2099",
    ]) {
      expect((await api("GET", path, { token: MINISTRY })).status, path).toBe(404);
    }
    expect((await api("POST", "/api/v1/reports/national/2099/generate", { token: MINISTRY })).status).toBe(404);
    expect(await count()).toBe(before);
  });

  it("never shows ministry or region officers a case, only aggregates", async () => {
    for (const token of [MINISTRY, REGION]) {
      expect((await api("GET", "/api/v1/cases", { token })).status).toBe(403);
      expect((await api("GET", "/api/v1/cases/regional-report%2Fregione-piemonte%2F2026-03-30", { token })).status).toBe(403);
      expect((await api("GET", "/api/v1/offices/dipartimento-po/deadlines", { token })).status).toBe(403);
    }
  });

  it("reports a period with no data as zeros", async () => {
    const doc = await json(await api("GET", "/api/v1/reports/regional/2019", { token: REGION }));
    expect(doc.tables.find((t) => t.id === "362-bis")!.rows.every((r) => r.met === 0 && r.late === 0)).toBe(true);
  });

  it("serves CSV tables, a zip of them, and a PDF", async () => {
    const csv = await api("GET", "/api/v1/reports/regional/2025?format=csv&table=362-bis", { token: REGION });
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const bytes = new Uint8Array(await csv.arrayBuffer());
    // The byte-order mark Italian Excel needs to read UTF-8 (Response.text() would hide it).
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes).startsWith("Ufficio;Termine;")).toBe(true);
    const bundle = await api("GET", "/api/v1/reports/regional/2025?format=csv", { token: REGION });
    expect(bundle.headers.get("Content-Type")).toBe("application/zip");
    expect(new Uint8Array(await bundle.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
    // format=zip names the bundle outright; a table asked for with it changes nothing.
    const zipped = await api("GET", "/api/v1/reports/regional/2025?format=zip&table=362-bis", { token: REGION });
    expect([zipped.headers.get("Content-Type"), zipped.headers.get("Content-Disposition")]).toEqual(["application/zip", expect.stringContaining("-csv.zip")]);
    const pdf = await api("GET", "/api/v1/reports/regional/2025?format=pdf", { token: REGION });
    expect(pdf.headers.get("Content-Type")).toBe("application/pdf");
    expect(new TextDecoder().decode(new Uint8Array(await pdf.arrayBuffer()).slice(0, 8))).toBe("%PDF-1.7");
    expect(pdf.headers.get("Content-Disposition")).toContain("termini-regional-2025-Piemonte-v1.pdf");
  });

  it("keeps every version downloadable, each with its snapshot and checksum", async () => {
    const first = await json(await api("GET", "/api/v1/reports/regional/2025", { token: REGION }));
    await record(newRef(), "suspect.registered", "2025-06-02T10:00:00+02:00", { jurisdiction: "TO" });
    const gen = await api("POST", "/api/v1/reports/regional/2025/generate", { token: REGION });
    expect(gen.status).toBe(201);
    const latest = await json(await api("GET", "/api/v1/reports/regional/2025", { token: REGION }));
    expect(latest.version).toBe(first.version + 1);
    const old = await json(await api("GET", `/api/v1/reports/regional/2025?version=${first.version}`, { token: REGION }));
    expect(old.checksum).toBe(first.checksum);
    const versions = (await (await api("GET", "/api/v1/reports/regional/2025/versions", { token: REGION })).json()) as { versions: { version: number }[] };
    expect(versions.versions.map((v) => v.version)).toEqual([latest.version, first.version]);
  });
});

describe("compliance data", () => {
  it("gives a Procura its own quarter, and the Ministry any Procura's", async () => {
    const own = await api("GET", "/api/v1/reports/compliance-quarterly/2025-Q1", { token: PROCURA_TOKEN });
    expect(own.status).toBe(200);
    const doc = await json(own);
    expect(doc.tables[0]!.rows).toMatchObject([{ office: expect.stringContaining("Procura"), met: 5, late: 0 }]);
    expect((await api("GET", "/api/v1/reports/compliance-quarterly/2025-Q1?office=procura-torino", { token: MINISTRY })).status).toBe(200);
    expect((await api("GET", "/api/v1/reports/compliance-half-yearly/2025-H1?district=TO", { token: PROCURA_TOKEN })).status).toBe(403);
    const bad = await api("GET", "/api/v1/reports/compliance-quarterly/2025-H1", { token: PROCURA_TOKEN });
    expect([bad.status, ((await bad.json()) as { parameter: string }).parameter]).toEqual([400, "period"]);
  });
});

describe("the Procuratore generale's compliance data (art. 127 co. 1-bis disp. att. c.p.p.)", () => {
  it("gives the PG its district's half-year and its Procure's quarters, not another district's; a reader with no PG office names the district", async () => {
    const PG = "test-pg-torino-token";
    await env.DB.batch([
      env.DB.prepare("INSERT INTO api_credentials (id, name, token_hash, role, created_at) VALUES ('t-pg-torino', 'PG Torino', ?, 'staff', 0)").bind(await sha256Hex(PG)),
      env.DB.prepare("INSERT INTO credential_offices (credential_id, office_id) VALUES ('t-pg-torino', 'pg-torino')"),
    ]);
    const own = await api("GET", "/api/v1/reports/compliance-half-yearly/2025-H1", { token: PG });
    expect(own.status, await own.clone().text()).toBe(200);
    expect(((await own.json()) as { scope: string }).scope).toBe("TO");
    expect((await api("GET", "/api/v1/reports/compliance-quarterly/2025-Q1?office=procura-torino", { token: PG })).status).toBe(200);
    await expectProblem(await api("GET", "/api/v1/reports/compliance-half-yearly/2025-H1?district=MI", { token: PG }), 403, "forbidden");
    await expectProblem(await api("GET", "/api/v1/reports/compliance-quarterly/2025-Q1?office=procura-milano", { token: PG }), 403, "forbidden");
    await expectProblem(await api("GET", "/api/v1/reports/compliance-half-yearly/2025-H1", { token: MINISTRY }), 400, "missing_parameter");
    await expectProblem(await api("GET", "/api/v1/reports/compliance-quarterly/2025-Q1", { token: MINISTRY }), 400, "missing_parameter");
  });
});

describe("filing", () => {
  it("closes the region's obligation when its officer submits the report, and audits it", async () => {
    const billEnv = { ...env, ENABLED_BILLS: "all" };
    await startScheduled(billEnv, Date.parse("2026-03-01T06:00:00+01:00"));
    // The obligation's readable reference: the Region's report on 2025, due 30 March 2026.
    const ref = "RELAZIONE-REGIONALE-2025";
    const post = (path: string, token: string) => fetchWith(billEnv, path, { method: "POST", headers: { Authorization: `Bearer ${token}` } });
    // Only the office the obligation is on files it: the Ministry reads, but does not submit for a region.
    expect((await post("/api/v1/reports/regional/2025/submit?region=Piemonte", MINISTRY)).status).toBe(403);
    const res = await post("/api/v1/reports/regional/2025/submit", REGION);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ submitted: true, obligation: ref });
    const [instance] = await db().select({ status: timelineInstances.status }).from(timelineInstances)
      .innerJoin(cases, eq(cases.id, timelineInstances.caseId)).where(and(eq(cases.ref, ref), eq(cases.ownerOfficeId, "regione-piemonte"))).all();
    expect(instance!.status).toBe("closed");
    const entry = await db().select().from(auditLog).where(and(eq(auditLog.action, "report.submitted"), eq(auditLog.actor, "credential:demo-regione"))).get();
    // A disclosure: to the recipient the law names, for the reason it gives (art. 21 D.Lgs. 51/2018).
    expect(entry!.detail).toMatchObject({ kind: "regional", period: "2025", scope: "Piemonte", recipients: ["al Ministro delegato per le pari opportunità"] });
    expect(entry!.reason).toBe("trasmissione prevista dalla legge (proposta di legge del 2020 (Senato), art. 1, comma 5)");
    expect((await post("/api/v1/reports/regional/2025/submit", REGION)).status).toBe(409);
  });

  it("lets the officer who transmitted withdraw a mistake within two hours: the obligation reopens and whoever was told is told", async () => {
    const billEnv = { ...env, ENABLED_BILLS: "all" };
    const post = (path: string, token: string) => fetchWith(billEnv, path, { method: "POST", headers: { Authorization: `Bearer ${token}` } });
    const status = async () => (await db().select({ status: timelineInstances.status }).from(timelineInstances)
      .innerJoin(cases, eq(cases.id, timelineInstances.caseId)).where(and(eq(cases.ref, "RELAZIONE-REGIONALE-2025"), eq(cases.ownerOfficeId, "regione-piemonte"))).all()).map((i) => i.status);
    // Someone else (here the Ministry, which reads the report) cannot withdraw it.
    await expectProblem(await post("/api/v1/reports/regional/2025/withdraw?region=Piemonte", MINISTRY), 403, "forbidden");
    const res = await post("/api/v1/reports/regional/2025/withdraw", REGION);
    expect(res.status).toBe(200);
    const { version } = (await res.json()) as { version: number; submitted: boolean };
    expect(await status()).toContain("running");
    const versions = (await (await api("GET", "/api/v1/reports/regional/2025/versions", { token: REGION })).json()) as { versions: { version: number; submittedAt: number | null; withdrawnAt: number | null }[] };
    expect(versions.versions.find((v) => v.version === version)).toMatchObject({ submittedAt: null, withdrawnAt: expect.any(Number) });
    expect(await db().select().from(auditLog).where(eq(auditLog.action, "report.withdrawn")).all()).toHaveLength(1);
    // Nothing transmitted now: nothing to withdraw.
    await expectProblem(await post("/api/v1/reports/regional/2025/withdraw", REGION), 404, "not_found");

    // A system subscribed to the region's reports: it hears of the new transmission and of its withdrawal.
    const sub = await api("POST", "/api/v1/subscriptions", { body: { office: "regione-piemonte", url: "https://registro.example.org/termini", kinds: ["report.published"] } });
    expect(sub.status).toBe(201);
    const { id: subscription } = (await sub.json()) as { id: string };
    expect((await post("/api/v1/reports/regional/2025/submit", REGION)).status).toBe(200);
    expect(await status()).not.toContain("running");
    expect((await post("/api/v1/reports/regional/2025/withdraw", REGION)).status).toBe(200);
    const sent = await env.DB.prepare("SELECT e.kind, e.body FROM outbound_deliveries d JOIN outbound_events e ON e.id = d.event_id WHERE d.subscription_id = ? ORDER BY e.created_at, e.kind").bind(subscription).all<{ kind: string; body: string }>();
    expect(sent.results.map((r) => r.kind)).toEqual(["report.published", "report.withdrawn"]);
    expect(JSON.parse(sent.results[1]!.body).data.report).toMatchObject({ kind: "regional", period: "2025", scope: "Piemonte" });

    // Transmitted again, then too late to withdraw: a new version is the way.
    expect((await post("/api/v1/reports/regional/2025/submit", REGION)).status).toBe(200);
    await env.DB.prepare("UPDATE reports SET submitted_at = submitted_at - 2 * 3600000 - 1 WHERE kind = 'regional' AND period = '2025' AND submitted_at IS NOT NULL").run();
    await expectProblem(await post("/api/v1/reports/regional/2025/withdraw", REGION), 409, "withdrawal_window_closed");
  });

  it("refuses to file a report of a period that has not ended, saying from when it can be", async () => {
    const year = Number(formatRomeInstant(Date.now()).slice(0, 4));
    expect((await api("GET", `/api/v1/reports/regional/${year}?format=json`, { token: REGION })).status).toBe(200);
    const res = await api("POST", `/api/v1/reports/regional/${year}/submit`, { token: REGION });
    const problem = await expectProblem(res, 409, "period_not_ended");
    expect(problem.detail).toBe(`Il periodo (anno ${year}) non è ancora concluso: la relazione si potrà trasmettere dal 01/01/${year + 1}, con i dati definitivi`);
    expect((await db().select().from(auditLog).where(eq(auditLog.action, "report.submitted")).all()).filter((a) => (a.detail as { period: string }).period === String(year))).toEqual([]);
  });
});
