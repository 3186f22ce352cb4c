/**
 * What the pages show is true: messages at the time they actually went out
 * (escalations sent together in one line), pending ones as scheduled,
 * superseded ones said; events named by what happened; each citation once;
 * the dashboard says how close each deadline is and offers only the
 * timelines this office can have.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sweep } from "../../src/workflows/sweep.js";
import { newRef, record } from "../backbone/helpers.js";
import { pageText, sessionForFile } from "./browser.js";

const session = sessionForFile();
const text = pageText;

describe("the case page", () => {
  it("shows the actual send time, escalations sent together, superseded reminders, the event's own name and each citation once", async () => {
    const ref = newRef();
    // Registered 1 September 2026: due Thursday 1 October; escalations due 2 October 00:00 and 5 October 00:00.
    await record(ref, "suspect.registered", "2026-09-01T10:00:00+02:00", { jurisdiction: "TO" });
    // The cron was down until 5 October, 09:00: both escalations went out then, together.
    await sweep(env, Date.parse("2026-10-05T09:00:00+02:00"));
    const page = text(await (await session.browser().go(`/cases/${encodeURIComponent(ref)}?ufficio=procura-torino`)).text());
    expect(page).toContain("Indagato iscritto nel registro delle notizie di reato");
    expect(page).not.toContain("Avvio:");
    expect(page).toMatch(/05\/10\/2026 09:00 Segnalazioni inviate insieme al Procuratore [^,]+, alla Procura Generale/);
    expect(page).not.toContain("02/10/2026 00:00 Segnalazione");
    expect(page).toContain("Promemoria alla Procura della Repubblica presso il Tribunale di Torino — gruppo fasce deboli: non inviato, superato");
    // The citation is in the step's own text: not repeated after it.
    expect(page).toContain("Art. 172 co. 4 c.p.p.: il giorno iniziale (01/09/2026) non si computa");
    expect(page).not.toMatch(/\[Art\. 172 co\. 4 c\.p\.p\.\]|non si computa[^.]*\(Art\. 172 co\. 4 c\.p\.p\.\)/);
  });

  it("shows a message still to go out as scheduled, with its date", async () => {
    const ref = newRef();
    const registered = new Date(Date.now() - 2 * 86_400_000).toISOString();
    await record(ref, "suspect.registered", registered, { jurisdiction: "TO" });
    const page = text(await (await session.browser().go(`/cases/${encodeURIComponent(ref)}?ufficio=procura-torino`)).text());
    expect(page).toMatch(/Promemoria alla Procura della Repubblica presso il Tribunale di Torino — gruppo fasce deboli: programmato per il \d{2}\/\d{2}\/\d{4} 08:00/);
  });
});

describe("the dashboard", () => {
  it("says how close each deadline is, names the office once, and offers only this office's timelines that run here", async () => {
    const ref = newRef();
    await record(ref, "suspect.registered", new Date(Date.now() - 40 * 86_400_000).toISOString(), { jurisdiction: "TO" });
    const html = await (await session.browser().go("/")).text();
    expect(text(html)).toMatch(/Scaduta da \d+ giorn/);
    const options = [...html.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);
    expect(options).toContain("362-bis");
    // The metropolitan city's protocol is not a Procura's; the regional report is a bill this deployment does not run.
    expect(options).not.toContain("turin-protocol");
    expect(options).not.toContain("regional-report");
  });
});

describe("unknown pages", () => {
  it("get the Italian error page with the navigation and the sign-out button in a browser, problem+json for a program", async () => {
    const cookie = [...session.browser().cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const { exports } = await import("cloudflare:workers");
    const page = await exports.default.fetch("https://termini.test/pagina-che-non-esiste", { headers: { Accept: "text/html", Cookie: cookie } });
    expect([page.status, page.headers.get("Content-Type")]).toEqual([404, "text/html; charset=UTF-8"]);
    const html = text(await page.text());
    expect(html).toContain("La pagina /pagina-che-non-esiste non esiste.");
    expect(html).toContain("Scadenze dell'ufficio");
    expect(html).toContain("Esci");
    const wrongMethod = await exports.default.fetch("https://termini.test/calendario", { method: "PUT", headers: { Accept: "text/html", Cookie: cookie, Origin: "https://termini.test" } });
    expect([wrongMethod.status, wrongMethod.headers.get("Content-Type")]).toEqual([404, "text/html; charset=UTF-8"]);
    const api = await exports.default.fetch("https://termini.test/api/v1/nulla", { headers: { Accept: "text/html" } });
    expect(api.headers.get("Content-Type")).toBe("application/problem+json");
  });
});

describe("the action form", () => {
  it("asks for the act's time, and re-shows itself with what was typed and the reason next to the field", async () => {
    const ref = newRef();
    await record(ref, "suspect.registered", new Date(Date.now() - 5 * 86_400_000).toISOString(), { jurisdiction: "TO" });
    const path = `/azioni/${encodeURIComponent(ref)}?ufficio=procura-torino`;
    const form = await (await session.browser().go(`${path}&evento=measures.not-requested`)).text();
    // Nothing prefilled: the clerk gives the date, or chooses "Adesso".
    expect(form).toContain('<label for="quando">Data e ora dell&#39;atto</label>');
    expect(form).toMatch(/name="quando" type="datetime-local" value=""/);
    expect(form).not.toMatch(/checked/);
    const csrf = /name="csrf" value="([^"]+)"/.exec(form)![1]!;

    const none = await session.browser().go(path, { form: { csrf, evento: "measures.not-requested" } });
    expect(none.status).toBe(422);
    expect(text(await none.text())).toContain("Indichi quando è stato compiuto l'atto");

    const future = await session.browser().go(path, { form: { csrf, evento: "measures.not-requested", momento: "data", quando: "2099-01-01T10:00" } });
    expect(future.status).toBe(422);
    const again = await future.text();
    expect(again).toContain('value="2099-01-01T10:00"');
    expect(again).toMatch(/role="alert"[^>]*>L&#39;evento non può essere futuro\./);
    expect(again).not.toContain("occurredAt");

    const now = await session.browser().go(path, { form: { csrf, evento: "measures.not-requested", momento: "adesso" } });
    expect(now.status).toBe(303);
  });
});
