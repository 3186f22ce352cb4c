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
import { eq } from "drizzle-orm";
import { events as eventsTable, notifications, offices } from "../../src/db/schema.js";
import { formatRomeInstant } from "../../src/engine/rome.js";
import { db, newRef, record } from "../backbone/helpers.js";
import { pageText, sessionForFile } from "./browser.js";
import { csrfOf } from "./csrf.js";

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
    expect(page).toContain("Promemoria alla Procura della Repubblica presso il Tribunale di Torino — gruppo fasce deboli: non inviato, perché quando doveva partire ne era già dovuto uno più recente o il termine era scaduto");
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
  it("starts at now, shows every error in a summary linked to its field, and previews before it records — once", async () => {
    const ref = newRef();
    await record(ref, "suspect.registered", new Date(Date.now() - 5 * 86_400_000).toISOString(), { jurisdiction: "TO" });
    const path = `/azioni/${encodeURIComponent(ref)}?ufficio=procura-torino`;
    const form = await (await session.browser().go(`${path}&evento=measures.not-requested`)).text();
    expect(form).toContain("<title>Registra che non ci sono i presupposti per chiedere misure — Termini</title>");
    expect(form).toContain('<label for="data">Giorno (gg/mm/aaaa)</label>');
    // Prefilled with now, in Rome time and in Italian form whatever the browser's language: the clerk changes it for an earlier act.
    const data = /name="data"[^>]*value="(\d{2}\/\d{2}\/\d{4})"/.exec(form)![1]!;
    const ora = /name="ora"[^>]*value="(\d{2}:\d{2})"/.exec(form)![1]!;
    expect(form).toContain('aria-label="Percorso di navigazione"');
    const csrf = csrfOf(form);

    const none = await session.browser().go(path, { form: { csrf, evento: "measures.not-requested", data: "31/02/2026", ora: "" } });
    expect(none.status).toBe(422);
    const noneHtml = await none.text();
    // Every error at once: the summary comes first, takes the focus (data-error-summary) and links to each field.
    expect(noneHtml).toMatch(/data-error-summary=""[^>]*>.*Il modulo contiene 2 errori.*<a href="#data">Giorno non valido: lo scriva come gg\/mm\/aaaa, per esempio 03\/11\/2026\.<\/a>.*<a href="#ora">Indichi l&#39;ora dell&#39;atto\.<\/a>/s);
    expect(noneHtml).toMatch(/id="data" class="form-control is-invalid" aria-invalid="true"/);
    expect(noneHtml).toContain('value="31/02/2026"');

    const future = await session.browser().go(path, { form: { csrf, evento: "measures.not-requested", data: "01/01/2099", ora: "10:00" } });
    expect(future.status).toBe(422);
    const again = await future.text();
    expect(again).toContain('value="01/01/2099"');
    expect(again).toContain('<a href="#data">L&#39;evento non può essere futuro.</a>');
    expect(again).not.toContain("occurredAt");

    const preview = await session.browser().go(path, { form: { csrf, evento: "measures.not-requested", data, ora } });
    expect(preview.status).toBe(200);
    const shown = await preview.text();
    expect(text(shown)).toContain("Che cosa succede confermando");
    expect(text(shown)).toMatch(/La fase «[^»]+» si chiude nel termine/);
    expect(text(shown)).toContain("Nessun messaggio parte subito.");
    const chiave = /name="chiave" value="([^"]+)"/.exec(shown)![1]!;
    // Nothing is written by the preview.
    expect(await db().select().from(eventsTable).where(eq(eventsTable.type, "measures.not-requested")).all()).toEqual([]);
    const confirm = { csrf, evento: "measures.not-requested", data, ora, conferma: "1", chiave };
    const done = await session.browser().go(path, { form: confirm });
    expect(done.status).toBe(303);
    expect(done.headers.get("Location")).toMatch(/registrato=measures\.not-requested$/);
    // The same confirmation sent twice (a double click, a resubmitted page): one act.
    const twice = await session.browser().go(path, { form: confirm });
    expect(twice.status, await twice.clone().text()).toBe(303);
    const events = await db().select().from(eventsTable).where(eq(eventsTable.type, "measures.not-requested")).all();
    expect(events.filter((e) => e.idempotencyKey.endsWith(chiave))).toHaveLength(1);
    const page = text(await (await session.browser().go(done.headers.get("Location")!)).text());
    expect(page).toContain("Azione registrata: nessun presupposto.");
  });

  it("says before recording a back-dated act that escalations go out at once, to whom and why, and then they do", async () => {
    const ref = newRef();
    const day = 86_400_000;
    const started = await record(ref, "suspect.registered", new Date(Date.now() - 40 * day).toISOString(), { jurisdiction: "TO" });
    const instanceId = started.body.timelines[0]!.instanceId;
    const path = `/azioni/${encodeURIComponent(ref)}?ufficio=procura-torino`;
    const form = await (await session.browser().go(`${path}&evento=measures.requested`)).text();
    const csrf = csrfOf(form);
    // Requested 35 days ago: the GIP's 20 days ran out 15 days ago.
    const wall = formatRomeInstant(Date.now() - 35 * day);
    const when = { data: `${wall.slice(8, 10)}/${wall.slice(5, 7)}/${wall.slice(0, 4)}`, ora: wall.slice(11, 16) };
    const html = await (await session.browser().go(path, { form: { csrf, evento: "measures.requested", ...when } })).text();
    const shown = text(html);
    expect(shown).toContain("Le segnalazioni partiranno subito.");
    expect(shown).toMatch(/il termine della fase «[^»]+» che ne decorre è scaduto il/);
    expect(shown).toContain("(già passata)");
    const announced = [...html.matchAll(/<li>(Segnalazione|Comunicazione|Promemoria) (?:al |alla |allo |all&#39;)([^<]+)<\/li>/g)].map((m) => `${m[1]} ${m[2]!.replaceAll("&#39;", "'")}`).sort();
    expect(announced.filter((a) => a.startsWith("Segnalazione")).length).toBeGreaterThan(0);
    const chiave = /name="chiave" value="([^"]+)"/.exec(html)![1]!;
    const confirmedAt = Date.now();
    expect((await session.browser().go(path, { form: { csrf, evento: "measures.requested", ...when, conferma: "1", chiave } })).status).toBe(303);
    // What was announced is what was written: this act's messages due now, by kind and office.
    const names = new Map((await db().select().from(offices).all()).map((o) => [o.id, o.name]));
    const label: Record<string, string> = { escalation: "Segnalazione", notice: "Comunicazione", reminder: "Promemoria" };
    const written = (await db().select().from(notifications).where(eq(notifications.instanceId, instanceId)).all())
      .filter((n) => n.id.includes(".gip-decision.") && n.kind === "escalation" && n.sendAtMs <= confirmedAt + 60_000)
      .map((n) => `${label[n.kind]} ${names.get(n.officeId)}`).sort();
    expect(announced.filter((a) => a.startsWith("Segnalazione"))).toEqual(written);
  });
});
