/**
 * The footer's pages exist for anyone, signed in or not: the accessibility declaration (AgID's
 * model) with a feedback form that really reaches the administrators, the privacy notice with its
 * legal basis and retention, the legal notes; the header names the administration and the user.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog } from "../../src/db/schema.js";
import { db } from "../backbone/helpers.js";
import { Browser, pageText, signedIn, waitForMail } from "./browser.js";

describe("the footer's pages", () => {
  it("are linked from every page and open without signing in", async () => {
    const b = new Browser();
    const signin = await (await b.go("/accedi")).text();
    for (const [href, title] of [["/accessibilita", "Dichiarazione di accessibilità"], ["/privacy", "Privacy"], ["/note-legali", "Note legali"]] as const) {
      expect(signin).toContain(`<a href="${href}">${title}</a>`);
      const page = await b.go(href);
      expect(page.status).toBe(200);
    }
    expect(pageText(signin)).toContain("Ministero della Giustizia");
  });

  it("state the legal basis (D.Lgs. 51/2018) and the retention rule", async () => {
    const privacy = pageText(await (await new Browser().go("/privacy")).text());
    expect(privacy).toContain("decreto legislativo 18 maggio 2018, n. 51");
    expect(privacy).toMatch(/cancellati 5 anni dopo la sua ultima attività/);
    const declaration = pageText(await (await new Browser().go("/accessibilita")).text());
    expect(declaration).toContain("parzialmente conforme");
    expect(declaration).toContain("Difensore civico per il digitale");
  });

  it("take an accessibility report, refuse an incomplete one with every error at once, and deliver it to the administrators", async () => {
    const b = new Browser();
    const csrf = await b.csrf("/accessibilita");
    const empty = await b.go("/accessibilita", { form: { csrf, testo: "", email: "" } });
    expect(empty.status).toBe(422);
    const html = await empty.text();
    expect(html).toContain("Il modulo contiene 2 errori");
    expect(html).toContain('<a href="#testo">');
    expect(html).toContain('<a href="#email-risposta">');
    const sent = await b.go("/accessibilita", { form: { csrf, testo: "Il calendario non si legge con lo zoom al 200%.", email: "cittadino@example.org" } });
    expect(sent.status).toBe(200);
    expect(pageText(await sent.text())).toContain("Segnalazione inviata agli amministratori");
    const [mail] = await waitForMail((m) => m.subject.includes("segnalazione sull'accessibilità"), 1);
    expect(mail!.recipients).toEqual(["amministratore@example.org"]);
    expect(mail!.text).toContain("Il calendario non si legge con lo zoom al 200%.");
    const logged = await db().select().from(auditLog).where(and(eq(auditLog.action, "accessibility.feedback"))).all();
    expect(logged).toHaveLength(1);
    // The log says a report arrived, not what it says or who wrote it.
    expect(JSON.stringify(logged[0]!.detail)).not.toContain("cittadino");
  });
});

describe("the header", () => {
  it("names the administration, and the user by name and office instead of an address", async () => {
    const html = pageText(await (await (await signedIn()).go("/")).text());
    expect(html).toContain("Ministero della Giustizia");
    expect(html).toContain("Operatore della Procura (prova) · Procura della Repubblica presso il Tribunale di Torino — gruppo fasce deboli");
    expect(html).not.toContain("operatore.procura@example.org");
  });
});
