/**
 * The outbox and the audit log in Italian: case references instead of ids,
 * messages and actions named, people by address, and the log filtered by
 * case, office, actor and date.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sweep } from "../../src/workflows/sweep.js";
import { rungName } from "../../src/web/admin-log.js";
import { newRef, record } from "../backbone/helpers.js";
import { pageText, sessionForFile } from "./browser.js";

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

  it("reads rung names as people do", () => {
    expect(["reminder-7d", "reminder-6h", "reminder-due-day", "escalation-2"].map(rungName)).toEqual(["7 giorni prima", "6 ore prima", "il giorno della scadenza", "livello 2"]);
  });
});

describe("the audit log page", () => {
  it("shows people, actions and case references readably, filtered by case, office, actor and date", async () => {
    const ref = newRef();
    await record(ref, "suspect.registered", new Date(Date.now() - 3_600_000).toISOString(), { jurisdiction: "TO" });
    await session.browser().go(`/cases/${encodeURIComponent(ref)}?ufficio=procura-torino`);
    const byCase = text(await (await session.browser().go(`/admin/registro?caso=${encodeURIComponent(ref)}`)).text());
    expect(byCase).toContain("amministratore@example.org procedimento consultato");
    expect(byCase).toContain("evento registrato");
    expect(byCase).toContain(ref);
    // Only that case's entries.
    expect(byCase).not.toContain("posta in uscita consultata");
    const today = new Date().toISOString().slice(0, 10);
    const byOffice = text(await (await session.browser().go(`/admin/registro?ufficio=procura-torino&chi=amministratore&dal=${today}`)).text());
    expect(byOffice).toContain(ref);
    const nobody = text(await (await session.browser().go(`/admin/registro?caso=${encodeURIComponent(ref)}&chi=nessuno`)).text());
    expect(nobody).not.toContain("procedimento consultato");
    const old = text(await (await session.browser().go(`/admin/registro?caso=${encodeURIComponent(ref)}&al=2020-01-01`)).text());
    expect(old).not.toContain("evento registrato");
  });
});
