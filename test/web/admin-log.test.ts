/**
 * The outbox and the audit log in Italian: case references instead of ids,
 * messages and actions named, people by address, and the log filtered by
 * case, office, actor and date.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sweep } from "../../src/workflows/sweep.js";
import { rungName } from "../../src/web/admin-mail.js";
import { newRef, record } from "../backbone/helpers.js";
import { pageText, sessionForFile } from "./browser.js";
import { csrfOf } from "./csrf.js";

const session = sessionForFile("amministratore@example.org");
const text = pageText;

describe("the outbox page", () => {
  it("names each message by its case, kind and rung, and its state in Italian", async () => {
    const ref = newRef();
    await record(ref, "suspect.registered", "2026-09-01T10:00:00+02:00", { jurisdiction: "TO" });
    await sweep(env, Date.parse("2026-09-24T09:00:00+02:00"));
    const page = text(await (await session.browser().go("/admin/posta")).text());
    expect(page).toMatch(new RegExp(`${ref.replace("/", "\\/")} promemoria, 7 giorni prima .* inviato`));
    expect(page).toMatch(new RegExp(`${ref.replace("/", "\\/")} segnalazione, livello 1 .* programmato`));
    expect(page).not.toMatch(/\breminder-7d\b|\bscheduled\b/);
  });

  it("shows when a message was scheduled, when it was actually sent and after how many attempts, and opens it as sent", async () => {
    const ref = newRef();
    // Due 1 October; its escalation was scheduled for 2 October 00:00 but the cron was down until 6 October, 09:00.
    await record(ref, "suspect.registered", "2026-09-01T10:00:00+02:00", { jurisdiction: "TO" });
    await sweep(env, Date.parse("2026-10-06T09:00:00+02:00"));
    const html = await (await session.browser().go("/admin/posta")).text();
    const page = text(html);
    // Two cases' escalations fell due for the same office at once: they left together, in one digest.
    expect(page).toMatch(new RegExp(`02/10/2026 00:00 06/10/2026 09:00 nel riepilogo ${ref.replace("/", "\\/")} segnalazione, livello 1 — apri il riepilogo in cui è partito Procuratore della Repubblica presso il Tribunale di Torino`));
    expect(page).toMatch(/06\/10\/2026 09:00 06\/10\/2026 09:00 1 più procedimenti riepilogo del mattino/);
    const row = html.slice(html.indexOf(`<td data-label="Procedimento" class="text-nowrap">${ref}</td><td data-label="Messaggio">segnalazione, livello 1`));
    const link = /href="(\/admin\/posta\/[^"]+)">apri il riepilogo/.exec(row)![1]!;
    const opened = text(await (await session.browser().go(link)).text());
    expect(opened).toContain(ref);
    expect(opened).toContain("Inviato 06/10/2026 09:00 (1 tentativo)");
    const raw = await session.browser().go(`${link}/html`);
    expect(raw.headers.get("Content-Security-Policy")).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox");
    expect(await raw.text()).toContain(`<html lang="it">`);
  });

  it("reads rung names as people do", () => {
    expect(["reminder-7d", "reminder-6h", "reminder-due-day", "escalation-2"].map(rungName)).toEqual(["7 giorni prima", "6 ore prima", "il giorno della scadenza", "livello 2"]);
  });
});

describe("the audit log page", () => {
  it("shows people, actions and case references readably, filtered by case, office, actor and date", async () => {
    const ref = newRef();
    await record(ref, "suspect.registered", new Date(Date.now() - 3_600_000).toISOString(), { jurisdiction: "TO" });
    // An administrator has no deadline of the case: the reason is asked for, then the case is shown.
    const page = `/cases/${encodeURIComponent(ref)}?ufficio=procura-torino`;
    const csrf = csrfOf(await (await session.browser().go(page)).text());
    expect((await session.browser().go(page, { form: { csrf, motivo: "verifica" } })).status).toBe(303);
    await session.browser().go(page);
    const byCase = text(await (await session.browser().go(`/admin/registro?finalita=controllo&caso=${encodeURIComponent(ref)}`)).text());
    // Each entry a sentence, by name; the record behind a disclosure.
    expect(byCase).toContain("Amministratore (prova) (amministratore@example.org) ha consultato il procedimento.");
    expect(byCase).toMatch(/Credenziale «[^»]+» ha registrato «Indagato iscritto nel registro delle notizie di reato» \(atto del \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}\)\./);
    expect(byCase).toContain("Dati registrati");
    expect(byCase).toContain(ref);
    // Only that case's entries.
    expect(byCase).not.toContain("ha consultato la posta in uscita");
    const today = new Date().toISOString().slice(0, 10);
    const byOffice = text(await (await session.browser().go(`/admin/registro?finalita=controllo&ufficio=procura-torino&chi=amministratore&dal=${today}`)).text());
    expect(byOffice).toContain(ref);
    const nobody = text(await (await session.browser().go(`/admin/registro?finalita=controllo&caso=${encodeURIComponent(ref)}&chi=nessuno`)).text());
    expect(nobody).not.toContain("ha consultato il procedimento");
    const old = text(await (await session.browser().go(`/admin/registro?finalita=controllo&caso=${encodeURIComponent(ref)}&al=2020-01-01`)).text());
    expect(old).not.toContain("ha registrato");
  });
});
