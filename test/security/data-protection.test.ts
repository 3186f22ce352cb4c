/**
 * Who reads the audit log, how it leaves Termini for the Garante, and how long it is kept:
 * the data-protection officer reads it and nothing else; the export's checksum verifies and is
 * itself in the log; the log's rows go only once older than their period, and nothing younger
 * can be deleted, whoever tries.
 */
import { env } from "cloudflare:workers";
import { and, desc, eq } from "drizzle-orm";
import Papa from "papaparse";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, users } from "../../src/db/schema.js";
import { retention } from "../../src/workflows/retention.js";
import { ADMIN_TOKEN, api, db, fetchWith, idleWorkflows, newRef, record } from "../backbone/helpers.js";
import { type Browser, pageText, signedIn } from "../web/browser.js";
import { csrfOf } from "../web/csrf.js";

let dpo: Browser;
let admin: Browser;
beforeAll(async () => {
  dpo = await signedIn("protezione.dati@example.org");
  admin = await signedIn("amministratore@example.org");
});

async function sha256(bytes: ArrayBuffer): Promise<string> {
  return [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

describe("the data-protection officer", () => {
  it("lands on the log, reads it for a purpose the law allows, and the reading is logged", async () => {
    const home = await dpo.go("/");
    expect([home.status, home.headers.get("Location")]).toEqual([303, "/admin/registro"]);
    // No purpose chosen, none assumed: the form only, and nothing read or logged.
    const before = await db().select().from(auditLog).where(eq(auditLog.action, "audit.read")).all();
    const bare = pageText(await (await dpo.go("/admin/registro")).text());
    expect(bare).toContain("Scelga la finalità della consultazione");
    expect(bare).not.toContain("ha eseguito l'accesso");
    expect((await db().select().from(auditLog).where(eq(auditLog.action, "audit.read")).all()).length).toBe(before.length);
    expect((await dpo.go("/admin/registro/esporta?formato=csv")).status).toBe(400);
    const page = pageText(await (await dpo.go("/admin/registro?finalita=liceita")).text());
    expect(page).toContain("Registro degli accessi e delle comunicazioni");
    expect(page).toContain("Finalità della consultazione");
    const [read] = await db().select().from(auditLog).where(and(eq(auditLog.action, "audit.read"), eq(auditLog.actor, "user:u-dpo"))).orderBy(desc(auditLog.id)).limit(1).all();
    expect(read!.reason).toBe("verifica della liceità del trattamento");
  });

  it("sees and changes nothing else: no case, no administration page, no report", async () => {
    const ref = newRef();
    const spy = await idleWorkflows();
    try {
      await record(ref, "suspect.registered", new Date(Date.now() - 3_600_000).toISOString(), { jurisdiction: "TO" });
    } finally {
      await spy.dispose();
    }
    for (const path of [`/cases/${encodeURIComponent(ref)}?ufficio=procura-torino`, "/admin", "/admin/utenti", "/admin/posta", "/relazioni", "/calendario", "/api/v1/reports/national/2025"]) {
      expect((await dpo.go(path)).status, path).toBe(403);
    }
    const csrf = csrfOf(await (await dpo.go("/admin/registro")).text());
    expect((await dpo.go("/admin/utenti", { form: { csrf, nome: "X Y Z", email: "x@example.org", ruolo: "admin" } })).status).toBe(403);
  });
});

describe("the export for the Garante", () => {
  it("downloads as JSON and CSV; the checksum in its headers verifies, and the log's own entry of the export holds it", async () => {
    for (const formato of ["json", "csv"] as const) {
      const res = await dpo.go(`/admin/registro/esporta?formato=${formato}&finalita=garante`);
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Disposition")).toMatch(new RegExp(`^attachment; filename="registro-accessi-\\d{12}\\.${formato}"$`));
      const bytes = await res.arrayBuffer();
      const sum = await sha256(bytes);
      expect(res.headers.get("X-Checksum")).toBe(`sha256:${sum}`);
      expect(res.headers.get("Repr-Digest")).toBe(`sha-256=:${btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))))}:`);
      const [entry] = await db().select().from(auditLog).where(eq(auditLog.action, "audit.exported")).orderBy(desc(auditLog.id)).limit(1).all();
      expect(entry!.detail).toMatchObject({ format: formato, checksum: `sha256:${sum}` });
      expect(entry!.reason).toBe("richiesta del Garante per la protezione dei dati personali");
      const text = new TextDecoder().decode(bytes);
      if (formato === "json") {
        const doc = JSON.parse(text) as { export: { purpose: string; entries: number }; entries: { action: string; reason: string | null; sentence: string }[] };
        expect(doc.export.purpose).toBe("richiesta del Garante per la protezione dei dati personali");
        expect(doc.entries.length).toBe(doc.export.entries);
        const read = doc.entries.find((e) => e.action === "audit.read" && e.reason === "verifica della liceità del trattamento");
        expect(read?.reason).toBe("verifica della liceità del trattamento");
        expect(read?.sentence).toMatch(/^Responsabile della protezione dei dati \(prova\) .* ha consultato questo registro/);
      } else {
        const rows = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { delimiter: ";" }).data.filter((r) => r.length > 1);
        expect(rows[0]).toEqual(["Quando", "Chi", "Identificativo di chi", "Azione", "Che cosa", "Motivo", "Procedimento", "Identificativo del procedimento", "Richiesta", "Dati registrati"]);
        expect(rows.some((r) => r[3] === "audit.read" && r[5] === "verifica della liceità del trattamento")).toBe(true);
      }
    }
  });

  it("through the API: filtered by actor, with the purpose required", async () => {
    expect((await api("GET", "/api/v1/audit-log")).status).toBe(400);
    const res = await api("GET", "/api/v1/audit-log?purpose=controllo&actor=user:u-dpo&format=json");
    expect(res.status).toBe(200);
    const bytes = await res.arrayBuffer();
    expect(res.headers.get("X-Checksum")).toBe(`sha256:${await sha256(bytes)}`);
    const doc = JSON.parse(new TextDecoder().decode(bytes)) as { entries: { actor: string }[] };
    expect(doc.entries.length).toBeGreaterThan(0);
    expect(doc.entries.every((e) => e.actor === "user:u-dpo")).toBe(true);
    // Staff credentials do not read the log.
    expect((await api("GET", "/api/v1/audit-log?purpose=controllo", { token: "termini-local-procura-token" })).status).toBe(403);
    expect(ADMIN_TOKEN).toBeDefined();
  });
});

describe("the log's retention", () => {
  it("purges rows older than AUDIT_RETENTION_YEARS, logs the purge, keeps the rest; nothing younger can be deleted", async () => {
    const old = Date.parse("2010-03-01T10:00:00Z");
    await env.DB.prepare("INSERT INTO audit_log (at, actor, action, case_id, detail, request_id, reason) VALUES (?, 'user:u-procura', 'case.read', NULL, '{}', NULL, 'vecchia consultazione')").bind(old).run();
    // Younger than the horizon: the table refuses, whoever asks.
    await expect(env.DB.prepare("DELETE FROM audit_log WHERE action = 'audit.read'").run()).rejects.toThrow(/append-only/);
    const now = Date.parse("2026-12-06T12:00:00Z");
    const counts = await retention({ ...env, AUDIT_RETENTION_YEARS: "10" } as typeof env, now);
    expect(counts.auditEntries).toBeGreaterThanOrEqual(1);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE reason = 'vecchia consultazione'").first("n")).toBe(0);
    const [purge] = await db().select().from(auditLog).where(eq(auditLog.action, "audit.purged")).orderBy(desc(auditLog.id)).limit(1).all();
    expect(purge!.detail).toMatchObject({ before: Date.parse("2016-12-06T12:00:00Z") });
    // The horizon only moves forward, and rows after it stay undeletable.
    await expect(env.DB.prepare("UPDATE audit_horizon SET before = 0 WHERE id = 1").run()).rejects.toThrow(/only moves forward/);
    await expect(env.DB.prepare("DELETE FROM audit_log WHERE action = 'audit.purged'").run()).rejects.toThrow(/append-only/);
  });
});

describe("the privacy notice", () => {
  it("says the log holds each access's reason and recipients, who reads it, and how long it is kept", async () => {
    const text = pageText(await (await fetchWith({ AUDIT_RETENTION_YEARS: "12" } as never, "/privacy")).text());
    expect(text).toContain("Il registro degli accessi e delle comunicazioni è conservato 12 anni (art. 21 del d.lgs. 51/2018)");
    expect(text).toContain("registrata con il motivo, la data e l'ora, chi l'ha eseguita e i destinatari");
    expect(text).toContain("responsabile della protezione dei dati");
    expect(text).toContain("un'impronta cifrata del codice fiscale");
  });
});

describe("a person matched by fiscal number", () => {
  it("is invited with it: only its keyed digest is kept; a malformed or taken one is refused beside the field", async () => {
    const csrf = csrfOf(await (await admin.go("/admin/utenti/invita")).text());
    const form = (email: string, codicefiscale: string) => ({ csrf, nome: "Persona di prova", email, ruolo: "operator", uffici: ["procura-torino"], codicefiscale });
    const bad = await admin.go("/admin/utenti", { form: form("cf.uno@example.org", "RSSMRA85T10A56") });
    expect(bad.status).toBe(422);
    expect(pageText(await bad.text())).toContain("Codice fiscale non valido");
    expect((await admin.go("/admin/utenti", { form: form("cf.uno@example.org", "tinit-bncgvn80a01l219x") })).status).toBe(303);
    const [u] = await db().select().from(users).where(eq(users.email, "cf.uno@example.org")).all();
    expect(u!.fiscalHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(u)).not.toMatch(/BNCGVN/i);
    const taken = await admin.go("/admin/utenti", { form: form("cf.due@example.org", "BNCGVN80A01L219X") });
    expect(taken.status).toBe(422);
    expect(pageText(await taken.text())).toContain("già di un altro utente");
    expect((await fetchWith({}, "/healthz")).status).toBe(200);
  });
});
