/**
 * Administrators run the users from the app: invite, change a role,
 * deactivate (ending the sessions) — each audited; a refused invitation
 * shows the form again with what was typed and the reason.
 */
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { auditLog, users } from "../../src/db/schema.js";
import { db } from "../backbone/helpers.js";
import { Browser, pageText, signedIn, waitForMail } from "./browser.js";
import { csrfOf } from "./csrf.js";

let admin: Browser;
beforeAll(async () => { admin = await signedIn("amministratore@example.org"); });

const invite = async (form: Record<string, string | string[]>) =>
  admin.go("/admin/utenti", { form: { csrf: csrfOf(await (await admin.go("/admin/utenti/invita")).text()), ...form } });

it("offers choices, not ids: a role to select, the offices to tick by district, the regions of the directory", async () => {
  const html = await (await admin.go("/admin/utenti/invita")).text();
  expect(html).toContain('<option value="" selected="">Scelga il ruolo</option>');
  expect(html).toContain('<input type="checkbox" id="uffici-procura-torino" name="uffici" value="procura-torino"/>');
  expect(html).toMatch(/<summary>Torino<\/summary>/);
  expect(html).toContain('<option value="Piemonte">Piemonte</option>');
});

it("refuses an invitation it cannot honour with every reason at once, in a summary linked to the fields, keeping what was typed", async () => {
  const bad = await invite({ nome: "", email: "non-un-indirizzo", ruolo: "operator" });
  expect(bad.status).toBe(422);
  const html = await bad.text();
  expect(html).toContain('value="non-un-indirizzo"');
  expect(html).toContain("Il modulo contiene 3 errori");
  for (const [field, message] of [["nome", "Indichi nome e cognome."], ["email", "Indirizzo di posta elettronica non valido."], ["uffici-elenco", "Scelga almeno un ufficio."]]) {
    expect(html).toContain(`<a href="#${field}">${message}</a>`);
  }
  // Each reason also next to its own field, which is marked invalid and points to it.
  expect(html).toMatch(/id="email" class="form-control is-invalid" aria-invalid="true" aria-describedby="email-errore"/);
  const office = await invite({ nome: "Nuovo Operatore", email: "nuovo.operatore@example.org", ruolo: "operator", uffici: "procura-inesistente" });
  expect(await office.text()).toContain("Uno degli uffici scelti non è più in rubrica.");
  const region = await invite({ nome: "Nuova Funzionaria", email: "nuovo.regione@example.org", ruolo: "region", regione: "Atlantide" });
  expect(region.status).toBe(422);
  expect(await region.text()).toContain("Scelga la regione di cui il funzionario riceve le relazioni.");
});

it("invites by email: «invitato» until the link is opened, then active; role changed and deactivation ending the session, all audited", async () => {
  const sent = await invite({ nome: "Nuovo Operatore", email: "Nuovo.Operatore@example.org", ruolo: "operator", uffici: ["procura-torino", "gip-torino"] });
  expect(sent.status).toBe(303);
  const created = (await db().select().from(users).where(eq(users.email, "nuovo.operatore@example.org")).get())!;
  expect([created.role, created.name, created.acceptedAt]).toEqual(["operator", "Nuovo Operatore", null]);
  const list = pageText(await (await admin.go(sent.headers.get("Location")!)).text());
  expect(list).toContain("Invito inviato a nuovo.operatore@example.org");
  expect(list).toMatch(/Nuovo Operatore nuovo\.operatore@example\.org operatore d'ufficio Procura della Repubblica presso il Tribunale di Torino — gruppo fasce deboli; Ufficio GIP del Tribunale di Torino invitato il \d{2}\/\d{2}\/\d{4}/);
  // The invitation: from the administration, with a link valid for days.
  const [mail] = await waitForMail((m) => m.recipients.includes("nuovo.operatore@example.org") && m.subject.includes("invito"), 1);
  expect(mail!.subject).toBe("[Termini] Ministero della Giustizia — invito ad accedere");
  expect(mail!.text).toContain("Gentile Nuovo Operatore,");
  const link = /https?:\/\/[^\s]+\/accedi\/link\?token=[^\s]+/.exec(mail!.text)![0];
  const person = new Browser();
  const confirm = await person.csrf(link.replace(/^https?:\/\/[^/]+/, ""));
  expect((await person.go("/accedi/link", { form: { csrf: confirm, token: new URL(link).searchParams.get("token")!, dopo: "/" } })).status).toBe(303);
  expect((await person.go("/")).status).toBe(200);
  expect(pageText(await (await admin.go("/admin/utenti")).text())).toMatch(/Ufficio GIP del Tribunale di Torino attivo/);
  // Not an administrator: the page is not theirs.
  expect((await person.go("/admin/utenti")).status).toBe(403);

  const csrf = csrfOf(await (await admin.go("/admin/utenti")).text());
  expect((await admin.go(`/admin/utenti/${created.id}`, { form: { csrf, azione: "ruolo", ruolo: "head" } })).status).toBe(303);
  expect((await admin.go(`/admin/utenti/${created.id}`, { form: { csrf, azione: "disattiva" } })).status).toBe(303);
  // The session ended with the deactivation.
  expect((await person.go("/")).status).toBe(303);
  const actions = (await db().select().from(auditLog).all()).filter((a) => (a.detail as { user?: string }).user === created.id || a.actor === `user:${created.id}`).map((a) => a.action).filter((a) => a.startsWith("user.") || a.startsWith("signin."));
  expect(actions).toEqual(["user.invited", "user.accepted", "signin.completed", "user.role-changed", "user.disabled"]);
  expect(await (await admin.go("/admin/utenti")).text()).toMatch(/nuovo\.operatore@example\.org.*capo dell&#39;ufficio.*disattivato il \d{2}\/\d{2}\/\d{4}/s);
});

it("sends an invitation again to a user who has not opened it", async () => {
  expect((await invite({ nome: "Altra Operatrice", email: "altra@example.org", ruolo: "operator", uffici: "procura-torino" })).status).toBe(303);
  const created = (await db().select().from(users).where(eq(users.email, "altra@example.org")).get())!;
  const csrf = csrfOf(await (await admin.go("/admin/utenti")).text());
  const again = await admin.go(`/admin/utenti/${created.id}`, { form: { csrf, azione: "reinvita" } });
  expect(again.status).toBe(303);
  expect(pageText(await (await admin.go(again.headers.get("Location")!)).text())).toContain("Nuovo invito inviato a altra@example.org");
  expect(await waitForMail((m) => m.recipients.includes("altra@example.org"), 2)).toHaveLength(2);
});

it("does not let an administrator lock themselves out", async () => {
  const me = (await db().select().from(users).where(eq(users.email, "amministratore@example.org")).get())!;
  const csrf = csrfOf(await (await admin.go("/admin/utenti")).text());
  expect((await admin.go(`/admin/utenti/${me.id}`, { form: { csrf, azione: "disattiva" } })).status).toBe(403);
});
