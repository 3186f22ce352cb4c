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
import { csrfOf } from "./csrf.js";

let admin: Browser;
beforeAll(async () => { admin = await signedIn("amministratore@example.org"); });

/** What a browser would send back: each text field's value and each select's chosen option. */
function formValues(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="text" [^>]*name="([a-z]+)" value="([^"]*)"/g)) out[m[1]!] = m[2]!.replaceAll("&#39;", "'");
  for (const m of html.matchAll(/<select [^>]*name="([a-z]+)">(.*?)<\/select>/gs)) out[m[1]!] = /<option value="([^"]*)" selected="">/.exec(m[2]!)?.[1] ?? "";
  return out;
}
const office = {
  id: "procura-asti", nome: "Procura della Repubblica presso il Tribunale di Asti", tipo: "procura", distretto: "TO", regione: "Piemonte",
  calendario: "IT", indirizzi: "procura.asti@example.org", riserva: "segreteria.procura.asti@example.org", superiore: "procuratore-torino",
};

it("creates an office with its place in the chain, and shows the chain", async () => {
  const form = await (await admin.go("/admin/uffici/nuovo")).text();
  // Choices, not ids: the kinds, districts, calendars and superior offices are offered by name.
  expect(form).toContain('<option value="procura">Procura della Repubblica (gruppo specializzato)</option>');
  expect(form).toContain('<option value="TO">Torino (TO)</option>');
  expect(form).toMatch(/<option value="procuratore-torino">Procuratore della Repubblica presso il Tribunale di Torino \(TO\)<\/option>/);
  const created = await admin.go("/admin/uffici", { form: { csrf: csrfOf(form), ...office } });
  expect(created.status).toBe(303);
  expect(await (await admin.go(created.headers.get("Location")!)).text()).toContain("Ufficio «Procura della Repubblica presso il Tribunale di Asti» creato.");
  const row = (await db().select().from(offices).where(eq(offices.id, "procura-asti")).get())!;
  expect([row.kind, row.escalatesTo, row.emails]).toEqual(["procura", "procuratore-torino", ["procura.asti@example.org"]]);
  expect(await (await admin.go("/admin/uffici")).text()).toMatch(/Procura della Repubblica presso il Tribunale di Asti.*Procuratore della Repubblica presso il Tribunale di Torino →/s);
});

it("refuses a form with every error at once, in a summary at the top", async () => {
  const form = await (await admin.go("/admin/uffici/nuovo")).text();
  const res = await admin.go("/admin/uffici", { form: { csrf: csrfOf(form), id: "", nome: "", tipo: "", distretto: "", calendario: "IT", indirizzi: "", riserva: "" } });
  expect(res.status).toBe(422);
  const html = await res.text();
  expect(html).toContain("Il modulo contiene 6 errori");
  for (const field of ["id", "nome", "tipo", "distretto", "indirizzi", "riserva"]) expect(html).toContain(`<a href="#${field}">`);
});

it("refuses a chain that would come back to the office, keeping what was typed", async () => {
  // procuratore-torino escalates to pg-torino: making pg-torino escalate to procuratore-torino would loop.
  const page = await (await admin.go("/admin/uffici/pg-torino")).text();
  const fields = formValues(page);
  expect(fields.superiore).toBe("");
  const res = await admin.go("/admin/uffici/pg-torino", { form: { ...fields, csrf: csrfOf(page), superiore: "procuratore-torino", nome: "Procura Generale (nome nuovo)" } });
  expect(res.status).toBe(422);
  const html = await res.text();
  // In the summary at the top, linked to the field; and next to the field, which is marked invalid.
  expect(html).toContain('<a href="#superiore">La catena di segnalazione tornerebbe a Procura Generale (nome nuovo): scelga un altro ufficio superiore.</a>');
  expect(html).toMatch(/id="superiore-errore"[^>]*role="alert">La catena di segnalazione tornerebbe a Procura Generale/);
  expect(html).toMatch(/id="superiore" class="form-select is-invalid"/);
  expect(html).toContain('value="Procura Generale (nome nuovo)"');
  expect((await db().select().from(offices).where(eq(offices.id, "pg-torino")).get())!.escalatesTo).toBeNull();
});

it("saves an edit and audits it with the values before and after", async () => {
  const page = await (await admin.go("/admin/uffici/procura-asti")).text();
  const fields = formValues(page);
  expect([fields.tipo, fields.distretto, fields.superiore]).toEqual(["procura", "TO", "procuratore-torino"]);
  expect((await admin.go("/admin/uffici/procura-asti", { form: { ...fields, csrf: csrfOf(page), indirizzi: "nuovo.asti@example.org" } })).status).toBe(303);
  const entry = (await db().select().from(auditLog).all()).find((a) => a.action === "office.updated" && (a.detail as { office: string }).office === "procura-asti")!;
  const d = entry.detail as { before: { emails: string[] }; after: { emails: string[] } };
  expect([d.before.emails, d.after.emails]).toEqual([["procura.asti@example.org"], ["nuovo.asti@example.org"]]);
});
