/**
 * The officers' reports page: every period begun for their scope, with
 * downloads and versions; a new version on request; filing by the
 * responsible office; nothing outside their scope.
 */
import { formatRomeInstant } from "../../src/engine/rome.js";
import { describe, expect, it } from "vitest";
import { periodsBegun } from "../../src/web/reports-page.js";
import { pageText, signedIn } from "./browser.js";
import { csrfOf } from "./csrf.js";


describe("the periods offered", () => {
  it("are those begun, newest first", () => {
    const now = Date.parse("2026-11-23T10:00:00+01:00");
    expect(periodsBegun("regional", now)).toEqual(["2026", "2025", "2024"]);
    expect(periodsBegun("compliance-quarterly", now)).toEqual(["2026-Q4", "2026-Q3", "2026-Q2", "2026-Q1", "2025-Q4", "2025-Q3", "2025-Q2", "2025-Q1"]);
    expect(periodsBegun("compliance-half-yearly", now)).toEqual(["2026-H2", "2026-H1", "2025-H2", "2025-H1"]);
  });
});

describe("a region officer", () => {
  it("sees the region's report for every year, downloads it, generates a new version and sees it listed with its checksum", async () => {
    const officer = await signedIn("funzionario.regione@example.org");
    const page = await (await officer.go("/relazioni")).text();
    expect(pageText(page)).toContain("Relazione regionale — Piemonte");
    expect(pageText(page)).not.toContain("Relazione nazionale");
    expect(page).toContain('href="/api/v1/reports/regional/2025?format=pdf&amp;region=Piemonte"');
    // Every format: PDF, the ZIP of all tables, each table's CSV, JSON.
    expect(page).toContain('href="/api/v1/reports/regional/2025?format=zip&amp;region=Piemonte"');
    expect(page).toContain('href="/api/v1/reports/regional/2025?format=csv&amp;region=Piemonte&amp;table=362-bis"');
    expect(page).toContain('href="/api/v1/reports/regional/2025?format=json&amp;region=Piemonte"');
    expect((await officer.go("/api/v1/reports/regional/2025?format=json&region=Piemonte")).status).toBe(200);
    const form = { csrf: csrfOf(page), kind: "regional", period: "2025", scope: "Piemonte", azione: "genera" };
    expect((await officer.go("/relazioni", { form })).status).toBe(303);
    const after = pageText(await (await officer.go("/relazioni")).text());
    // Versions in plain words; the checksum behind a disclosure.
    expect(after).toMatch(/Versione 2, dati al \d{2}\/\d{2}\/\d{4} alle \d{2}:\d{2} Impronta sha256:[0-9a-f]{64}/);
    // Another region is not theirs; a period not begun is no report.
    expect((await officer.go("/relazioni", { form: { ...form, scope: "Lombardia" } })).status).toBe(403);
    expect((await officer.go("/relazioni", { form: { ...form, period: "2099" } })).status).toBe(404);
  });
});

describe("a ministry officer", () => {
  it("sees the national report first, then one region at a time, chosen from a list", async () => {
    const officer = await signedIn("funzionario.ministero@example.org");
    const first = pageText(await (await officer.go("/relazioni")).text());
    expect(first).toContain("Relazione nazionale — Italia");
    expect(first).toContain("Scelga una regione per vederne le relazioni");
    expect(first).not.toContain("Relazione regionale —");
    const chosen = pageText(await (await officer.go("/relazioni?regione=Lombardia")).text());
    expect(chosen).toContain("Relazione regionale — Lombardia");
    expect(chosen).not.toContain("Relazione regionale — Piemonte");
    expect(chosen.indexOf("Relazione nazionale — Italia")).toBeLessThan(chosen.indexOf("Relazione regionale — Lombardia"));
  });
});

describe("a Procura's operator", () => {
  it("sees the Procura's quarterly compliance data and files the latest version", async () => {
    const operator = await signedIn();
    const page = await (await operator.go("/relazioni")).text();
    expect(pageText(page)).toContain("Dati trimestrali sul rispetto dei termini dell'art. 362-bis — Procura della Repubblica presso il Tribunale di Torino");
    expect((await operator.go("/api/v1/reports/compliance-quarterly/2026-Q1?format=json&office=procura-torino")).status).toBe(200);
    const form = { csrf: csrfOf(page), kind: "compliance-quarterly", period: "2026-Q1", scope: "procura-torino", azione: "trasmetti" };
    // First a confirmation that says what is sent; nothing is filed yet.
    const asked = await operator.go("/relazioni", { form });
    expect(asked.status).toBe(200);
    const confirmation = pageText(await asked.text());
    expect(confirmation).toMatch(/Relazione Dati trimestrali sul rispetto dei termini dell'art\. 362-bis — Procura della Repubblica presso il Tribunale di Torino — gruppo fasce deboli Periodo 1° trimestre 2026 Versione Versione 1, dati al \d{2}\/\d{2}\/\d{4} alle \d{2}:\d{2} Impronta sha256:[0-9a-f]{64}/);
    // The recipient the law names.
    expect(confirmation).toContain("Destinatario Al Procuratore generale presso la Corte d'appello (art. 127, comma 1-bis, disp. att. c.p.p.)");
    expect(pageText(await (await operator.go("/relazioni")).text())).not.toContain("trasmessa il");
    const filed = await operator.go("/relazioni", { form: { ...form, conferma: "1", versione: "1" } });
    expect(filed.status).toBe(303);
    const after = pageText(await (await operator.go(filed.headers.get("Location")!)).text());
    expect(after).toContain("Dati trimestrali sul rispetto dei termini dell'art. 362-bis — Procura della Repubblica presso il Tribunale di Torino — gruppo fasce deboli, 1° trimestre 2026: versione 1 trasmessa.");
    expect(after).toMatch(/Versione 1, dati al [^,]+, trasmessa il \d{2}\/\d{2}\/\d{4}/);

    // A mistake: withdrawn by the same operator, after a confirmation that says what it undoes.
    expect(after).toContain("Ritira la trasmissione…");
    const withdraw = { csrf: form.csrf, kind: form.kind, period: form.period, scope: form.scope, azione: "ritira" };
    const asking = pageText(await (await operator.go("/relazioni", { form: withdraw })).text());
    expect(asking).toContain("Sta per ritirare la trasmissione di questa relazione");
    expect(asking).toContain("l'adempimento della relazione si riapre con i suoi promemoria");
    const done = await operator.go("/relazioni", { form: { ...withdraw, conferma: "1" } });
    expect(done.status).toBe(303);
    const back = pageText(await (await operator.go(done.headers.get("Location")!)).text());
    expect(back).toContain("1° trimestre 2026: la trasmissione della versione 1 è stata ritirata; l'adempimento è di nuovo aperto.");
    expect(back).toMatch(/Versione 1, dati al [^,]+, trasmissione ritirata il \d{2}\/\d{2}\/\d{4}/);
    expect(back).not.toContain("Ritira la trasmissione…");
  });

  it("cannot transmit a quarter that is still running: no button, the day it becomes possible, and a refusal", async () => {
    const operator = await signedIn();
    const now = formatRomeInstant(Date.now());
    const quarter = `${now.slice(0, 4)}-Q${Math.floor((Number(now.slice(5, 7)) - 1) / 3) + 1}`;
    expect((await operator.go(`/api/v1/reports/compliance-quarterly/${quarter}?format=json&office=procura-torino`)).status).toBe(200);
    const page = await (await operator.go("/relazioni")).text();
    expect(pageText(page)).toMatch(/Versione 1, dati provvisori al \d{2}\/\d{2}\/\d{4} alle \d{2}:\d{2}/);
    expect(pageText(page)).toMatch(/Periodo in corso: si potrà trasmettere dal \d{2}\/\d{2}\/\d{4}\./);
    const refused = await operator.go("/relazioni", { form: { csrf: csrfOf(page), kind: "compliance-quarterly", period: quarter, scope: "procura-torino", azione: "trasmetti" } });
    expect(refused.status).toBe(409);
    expect(pageText(await refused.text())).toMatch(/non è ancora concluso: la relazione si potrà trasmettere dal \d{2}\/\d{2}\/\d{4}, con i dati definitivi/);
  });
});
