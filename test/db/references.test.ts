/**
 * One register number, one case (security review: a signed suspect.registered
 * for 977966/2026 and another for 0977966/2026 opened two cases and two 362-bis
 * timelines; a closing event under one spelling left the other escalating).
 * Every entry reads a reference in its canonical spelling before any lookup or
 * write; an ambiguous one is refused with the reason; existing rows are
 * canonicalised by migration 0017, and collisions listed, never merged.
 */
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertCase } from "../../src/db/cases.js";
import { database } from "../../src/db/client.js";
import { readReference } from "../../src/lib/reference.js";
import { latest } from "../../src/timelines/catalog.js";
import { obligationRef } from "../../src/timelines/reporting.js";
import { ADMIN_TOKEN, PROCURA_TOKEN, ago, api, casePath, idleWorkflows, postWebhook } from "../backbone/helpers.js";
import { signedIn } from "../web/browser.js";
import { csrfOf } from "../web/csrf.js";

type Migrations = { name: string; queries: string[] }[];
const count = async (sql: string, ...args: unknown[]) => (await env.DB.prepare(sql).bind(...args).first<{ n: number }>())!.n;
const casesUnder = (number: string) => count("SELECT count(*) AS n FROM cases WHERE ref LIKE ?", `%${number}/%`);
const registration = (caseRef: string) => ({ type: "suspect.registered", caseRef, occurredAt: ago(3_600_000), data: { jurisdiction: "TO" } });

let spy: { dispose(): Promise<void> };
beforeAll(async () => { spy = await idleWorkflows(); });
afterAll(async () => { await spy.dispose(); });

describe("the canonical spelling of a reference", () => {
  it.each([
    ["977966/2026", "977966/2026"], ["0977966/2026", "977966/2026"], ["00000012/2026", "12/2026"], [" 977966 / 2026 ", "977966/2026"],
    // An office's own format is taken as typed.
    ["CUAV-2026-0012", "CUAV-2026-0012"], ["977966-2026", "977966-2026"],
  ])("reads %j as %j", (raw, canonical) => {
    expect(readReference(raw)).toEqual({ ok: true, ref: canonical });
  });

  it.each([
    ["977966/26", "l'anno «26» è ambiguo: va scritto per intero (es. 977966/2026 oppure 977966/1926)"],
    ["977966/0026", "anno «0026» non valido: quattro cifre, es. 977966/2026"],
    ["0/2026", "il numero di registro non può essere zero"],
  ])("refuses %j: %s", (raw, reason) => {
    expect(readReference(raw)).toEqual({ ok: false, reason });
  });
});

describe("every entry, one case per number", () => {
  it("webhook: 0977966/2026 after 977966/2026 is the same case, and a closing event under either spelling closes it", async () => {
    expect((await postWebhook(registration("977966/2026"))).status).toBe(201);
    const again = await postWebhook(registration("0977966/2026"));
    expect(again.status).toBe(409);
    expect(((await again.json()) as { code: string }).code).toBe("timeline_already_running");
    expect(await casesUnder("977966")).toBe(1);
    const closed = await postWebhook({ type: "measures.not-requested", caseRef: "00977966/2026", occurredAt: ago(60_000), data: {} });
    expect(closed.status).toBe(201);
    expect(((await closed.json()) as { case: { ref: string }; timelines: { status: string }[] })).toMatchObject({ case: { ref: "977966/2026" }, timelines: [{ status: "closed" }] });
  });

  it("staff API: a path or body spelling finds and writes the canonical case; a second creation is refused as existing", async () => {
    const created = await api("POST", "/api/v1/cases", { body: { ref: "0555001/2026", offices: { procura: "procura-torino" } } });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { ref: string }).ref).toBe("555001/2026");
    expect((await api("POST", "/api/v1/cases", { body: { ref: "555001/2026", offices: { procura: "procura-torino" } } })).status).toBe(409);
    for (const spelling of ["555001/2026", "0555001/2026", " 555001 / 2026"]) {
      const res = await api("GET", casePath(spelling), { token: PROCURA_TOKEN });
      expect(res.status, spelling).toBe(200);
      expect(((await res.json()) as { ref: string }).ref).toBe("555001/2026");
    }
    const event = await api("POST", `${casePath("0555002/2026")}/events`, { body: { type: "suspect.registered", occurredAt: ago(3_600_000), data: { jurisdiction: "TO" } } });
    expect(event.status).toBe(201);
    expect(await count("SELECT count(*) AS n FROM cases WHERE ref = '555002/2026'")).toBe(1);
  });

  it("refuses an ambiguous reference with the reason, writing nothing, at the webhook (422: a body field), the staff API (400: a path parameter) and the web", async () => {
    const hook = await postWebhook(registration("977967/26"));
    expect(hook.status).toBe(422);
    expect(((await hook.json()) as { detail: string }).detail).toContain("l'anno «26» è ambiguo");
    const staff = await api("POST", `${casePath("977967/26")}/events`, { body: { type: "suspect.registered", occurredAt: ago(3_600_000), data: { jurisdiction: "TO" } } });
    expect(staff.status).toBe(400);
    expect(((await staff.json()) as { detail: string }).detail).toBe("ref: l'anno «26» è ambiguo: va scritto per intero (es. 977967/2026 oppure 977967/1926)");
    expect((await api("POST", "/api/v1/cases", { body: { ref: "977967/26", offices: { procura: "procura-torino" } } })).status).toBe(422);
    expect(await casesUnder("977967")).toBe(0);
    const b = await signedIn();
    expect((await b.go(`/cases/${encodeURIComponent("977967/26")}`)).status).toBe(422);
  });

  it("web: the case page under another spelling opens the canonical case", async () => {
    expect((await postWebhook(registration("977968/2026"))).status).toBe(201);
    const b = await signedIn();
    const page = await b.go(`/cases/${encodeURIComponent("0977968/2026")}?ufficio=procura-torino`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Procedimento 977968/2026");
  });

  it("is checked where a case is first written: a reference not in its canonical spelling is refused", () => {
    expect(() => insertCase(database(env.DB), { id: "procura-torino", jurisdiction: "TO" }, { id: "x", ref: "0977969/2026", createdAt: 0, createdBy: "test", lastActivityAt: 0 }))
      .toThrow(/forma canonica \(977969\/2026\)/);
  });
});

describe("migration 0017 on rows written before", () => {
  const migration = () => (env as unknown as { TEST_MIGRATIONS: Migrations }).TEST_MIGRATIONS.find((m) => m.name.startsWith("0017"))!;
  const legacy = async (id: string, ref: string, owner = "procura-torino", createdAt = 1) =>
    env.DB.prepare("INSERT INTO cases (id, ref, owner_office_id, created_at, created_by, last_activity_at) VALUES (?, ?, ?, ?, 'test', ?)").bind(id, ref, owner, createdAt, createdAt).run();
  const refOf = async (id: string) => (await env.DB.prepare("SELECT ref FROM cases WHERE id = ?").bind(id).first<{ ref: string }>())!.ref;

  it("canonicalises register numbers, renames obligations as obligationRef does, and lists collisions instead of merging", async () => {
    // The duplicate that matters: a running timeline under 0977970/2026 beside the canonical case.
    expect((await postWebhook(registration("977970/2026"))).status).toBe(201);
    expect((await postWebhook(registration("5977970/2026"))).status).toBe(201);
    await env.DB.prepare("UPDATE cases SET ref = '0977970/2026' WHERE ref = '5977970/2026'").run();
    const duplicate = (await env.DB.prepare("SELECT id FROM cases WHERE ref = '0977970/2026'").first<{ id: string }>())!.id;
    await legacy("a-leading-zero", "0977971/2026");
    await legacy("b-older", "00977972/2026", "procura-torino", 1);
    await legacy("b-newer", "0977972/2026", "procura-torino", 2);
    await legacy("c-other-office", "0977971/2026", "procura-milano");
    await legacy("d-office-format", "CUAV-0012");
    // Every system obligation, on days of each quarter and half, as the scheduler keyed them before.
    const obligations = latest().filter((t) => t.schedule !== undefined);
    const days = (d: NonNullable<(typeof obligations)[number]["schedule"]>["dates"]) => d === "quarter-ends" ? ["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"]
      : d === "half-year-ends" ? ["2026-06-30", "2026-12-31"] : d.flatMap((mmdd) => [`2026-${mmdd}`, `2027-${mmdd}`]);
    const old = obligations.flatMap((t) => days(t.schedule!.dates).map((day) => ({ id: `ob-${t.id}-${day}`, ref: `${t.id}/ufficio-${t.id}/${day}`, expected: obligationRef(t.schedule!, day) })));
    await env.DB.prepare("INSERT OR IGNORE INTO offices (id, kind, name, jurisdiction, calendar, emails, fallback_email) SELECT 'ufficio-' || value, 'x', 'Ufficio di prova', 'TO', 'IT', '[]', 'x@example.org' FROM json_each(?)")
      .bind(JSON.stringify(obligations.map((t) => t.id))).run();
    for (const o of old) await legacy(o.id, o.ref, `ufficio-${o.ref.split("/")[0]}`);

    await env.DB.exec("DROP TABLE case_ref_review");
    await env.DB.batch(migration().queries.map((q) => env.DB.prepare(q)));

    expect(await refOf("a-leading-zero")).toBe("977971/2026");
    expect(await refOf("c-other-office")).toBe("977971/2026");
    expect(await refOf("b-older")).toBe("977972/2026");
    expect(await refOf("b-newer")).toBe("0977972/2026");
    expect(await refOf(duplicate)).toBe("0977970/2026");
    expect(await refOf("d-office-format")).toBe("CUAV-0012");
    for (const o of old) expect(await refOf(o.id), o.ref).toBe(o.expected);

    const report = (await (await api("GET", "/api/v1/integrity")).json()) as { referenceCollisions: { caseId: string; ref: string; canonical: string; running: boolean }[] };
    expect(report.referenceCollisions.map((r) => [r.ref, r.canonical, r.running])).toEqual(expect.arrayContaining([
      ["0977970/2026", "977970/2026", true], ["0977972/2026", "977972/2026", false],
    ]));
    expect(report.referenceCollisions).toHaveLength(2);

    // The administrator withdraws the duplicate: its timeline stops, the canonical case goes on.
    const admin = await signedIn("amministratore@example.org");
    const home = await (await admin.go("/admin")).text();
    expect(home).toContain("Riferimenti doppi da verificare");
    const csrf = csrfOf(home);
    const done = await admin.go(`/admin/riferimenti/${duplicate}/ritira`, { form: { csrf } });
    expect(done.status).toBe(303);
    expect(await count("SELECT count(*) AS n FROM timeline_instances WHERE case_id = ? AND status = 'running'", duplicate)).toBe(0);
    expect(await count("SELECT count(*) AS n FROM timeline_instances i JOIN cases c ON c.id = i.case_id WHERE c.ref = '977970/2026' AND i.status = 'running'")).toBe(1);
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE action = 'case.duplicate-withdrawn' AND case_id = ?", duplicate)).toBe(1);
    const after = (await (await api("GET", "/api/v1/integrity")).json()) as { referenceCollisions: { ref: string }[] };
    expect(after.referenceCollisions.map((r) => r.ref)).toEqual(["0977972/2026"]);
    // Administrators only.
    expect((await api("POST", `/api/v1/integrity/references/${duplicate}/withdraw`, { token: PROCURA_TOKEN })).status).toBe(403);
    expect((await api("POST", "/api/v1/integrity/references/00000000-0000-4000-8000-000000000000/withdraw", { token: ADMIN_TOKEN })).status).toBe(404);
  });
});
