/**
 * Administrators run the users from the app: invite, change a role,
 * deactivate (ending the sessions) — each audited; a refused invitation
 * shows the form again with what was typed and the reason.
 */
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { auditLog, users } from "../../src/db/schema.js";
import { db } from "../backbone/helpers.js";
import { type Browser, signedIn } from "./browser.js";

let admin: Browser;
beforeAll(async () => { admin = await signedIn("amministratore@example.org"); });

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!;
const invite = async (form: Record<string, string>) => admin.go("/admin/utenti", { form: { csrf: csrfOf(await (await admin.go("/admin/utenti")).text()), ...form } });

it("refuses an invitation it cannot honour, keeping what was typed and saying why", async () => {
  const bad = await invite({ email: "non-un-indirizzo", ruolo: "operator", uffici: "procura-torino" });
  expect(bad.status).toBe(422);
  const html = await bad.text();
  expect(html).toContain('value="non-un-indirizzo"');
  // Each reason next to its own field, which is marked invalid and points to it.
  expect(html).toMatch(/id="email-errore"[^>]*role="alert">Indirizzo di posta elettronica non valido\./);
  expect(html).toMatch(/id="email" class="form-control is-invalid" aria-invalid="true" aria-describedby="email-errore"/);
  const office = await invite({ email: "nuovo.operatore@example.org", ruolo: "operator", uffici: "procura-inesistente" });
  expect(await office.text()).toMatch(/id="uffici-errore"[^>]*role="alert">L&#39;ufficio procura-inesistente non è in rubrica\./);
  const region = await invite({ email: "nuovo.regione@example.org", ruolo: "region", regione: "Atlantide" });
  expect(region.status).toBe(422);
  expect(await region.text()).toMatch(/id="regione-errore"[^>]*role="alert">Indichi una regione/);
});

it("invites a user who can then sign in, changes the role, and deactivates them ending their session, all audited", async () => {
  expect((await invite({ email: "Nuovo.Operatore@example.org", ruolo: "operator", uffici: "procura-torino" })).status).toBe(303);
  const created = (await db().select().from(users).where(eq(users.email, "nuovo.operatore@example.org")).get())!;
  expect(created.role).toBe("operator");
  const person = await signedIn("nuovo.operatore@example.org");
  expect((await person.go("/")).status).toBe(200);
  // Not an administrator: the page is not theirs.
  expect((await person.go("/admin/utenti")).status).toBe(403);

  const csrf = csrfOf(await (await admin.go("/admin/utenti")).text());
  expect((await admin.go(`/admin/utenti/${created.id}`, { form: { csrf, azione: "ruolo", ruolo: "head" } })).status).toBe(303);
  expect((await admin.go(`/admin/utenti/${created.id}`, { form: { csrf, azione: "disattiva" } })).status).toBe(303);
  // The session ended with the deactivation.
  expect((await person.go("/")).status).toBe(303);
  const actions = (await db().select().from(auditLog).all()).filter((a) => (a.detail as { user?: string }).user === created.id).map((a) => a.action);
  expect(actions).toEqual(["user.invited", "user.role-changed", "user.disabled"]);
  expect(await (await admin.go("/admin/utenti")).text()).toMatch(/nuovo\.operatore@example\.org.*capo dell&#39;ufficio.*disattivato il \d{2}\/\d{2}\/\d{4}/s);
});

it("does not let an administrator lock themselves out", async () => {
  const me = (await db().select().from(users).where(eq(users.email, "amministratore@example.org")).get())!;
  const csrf = csrfOf(await (await admin.go("/admin/utenti")).text());
  expect((await admin.go(`/admin/utenti/${me.id}`, { form: { csrf, azione: "disattiva" } })).status).toBe(403);
});
