/**
 * Administrators edit the directory from the app: create an office, move it
 * in the escalation chain, never into a loop; a refused form keeps what was
 * typed; every change audited with before and after.
 */
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { auditLog, offices } from "../../src/db/schema.js";
import { db } from "../backbone/helpers.js";
import { type Browser, signedIn } from "./browser.js";

let admin: Browser;
beforeAll(async () => { admin = await signedIn("amministratore@example.org"); });

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!;
const office = {
  id: "procura-asti", nome: "Procura della Repubblica presso il Tribunale di Asti", tipo: "procura", distretto: "TO", regione: "Piemonte",
  calendario: "IT", indirizzi: "procura.asti@example.org", riserva: "segreteria.procura.asti@example.org", superiore: "procuratore-torino",
};

it("creates an office with its place in the chain, and shows the chain", async () => {
  const csrf = csrfOf(await (await admin.go("/admin/uffici")).text());
  expect((await admin.go("/admin/uffici", { form: { csrf, ...office } })).status).toBe(303);
  const row = (await db().select().from(offices).where(eq(offices.id, "procura-asti")).get())!;
  expect([row.kind, row.escalatesTo, row.emails]).toEqual(["procura", "procuratore-torino", ["procura.asti@example.org"]]);
  expect(await (await admin.go("/admin/uffici")).text()).toMatch(/Procura della Repubblica presso il Tribunale di Asti.*Procuratore della Repubblica presso il Tribunale di Torino →/s);
});

it("refuses a chain that would come back to the office, keeping what was typed", async () => {
  // procuratore-torino escalates to pg-torino: making pg-torino escalate to procuratore-torino would loop.
  const page = await (await admin.go("/admin/uffici/pg-torino")).text();
  const fields = Object.fromEntries([...page.matchAll(/ id="([a-z]+)"[^>]* name="[a-z]+" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!.replaceAll("&#39;", "'")]));
  const res = await admin.go("/admin/uffici/pg-torino", { form: { ...fields, csrf: csrfOf(page), superiore: "procuratore-torino", nome: "Procura Generale (nome nuovo)" } });
  expect(res.status).toBe(422);
  const html = await res.text();
  // Said next to the field it is about, which is marked invalid.
  expect(html).toMatch(/id="superiore-errore"[^>]*role="alert">La catena di segnalazione tornerebbe a pg-torino/);
  expect(html).toMatch(/id="superiore" class="form-control is-invalid"/);
  expect(html).toContain('value="Procura Generale (nome nuovo)"');
  expect((await db().select().from(offices).where(eq(offices.id, "pg-torino")).get())!.escalatesTo).toBeNull();
});

it("saves an edit and audits it with the values before and after", async () => {
  const page = await (await admin.go("/admin/uffici/procura-asti")).text();
  const fields = Object.fromEntries([...page.matchAll(/ id="([a-z]+)"[^>]* name="[a-z]+" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
  expect((await admin.go("/admin/uffici/procura-asti", { form: { ...fields, csrf: csrfOf(page), indirizzi: "nuovo.asti@example.org" } })).status).toBe(303);
  const entry = (await db().select().from(auditLog).all()).find((a) => a.action === "office.updated" && (a.detail as { office: string }).office === "procura-asti")!;
  const d = entry.detail as { before: { emails: string[] }; after: { emails: string[] } };
  expect([d.before.emails, d.after.emails]).toEqual([["procura.asti@example.org"], ["nuovo.asti@example.org"]]);
});
