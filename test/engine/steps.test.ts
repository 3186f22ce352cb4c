import { describe, expect, it } from "vitest";
import { term } from "./helpers.js";

const texts = (t: { steps: { text: string }[] }) => t.steps.map((s) => s.text);
const rules = (t: { steps: { rule: string }[] }) => t.steps.map((s) => s.rule).filter((r) => r !== "august-suspension");
const step = (t: { steps: { rule: string; text: string; citation: string }[] }, rule: string) => t.steps.find((s) => s.rule === rule)!;

describe("steps explain every rule applied, in Italian, with citations", () => {
  it("gives the brief's wording for the dies a quo and a holiday extension", () => {
    const t = term({ from: "2024-03-26T10:00:00+01:00", amount: 30, unit: "days", regime: "penal" });
    expect(texts(t)[0]).toMatch(/^Art\. 172 co\. 4 c\.p\.p\.: il giorno iniziale .* non si computa/);
    expect(texts(t)).toContain(
      "25/04/2024 è festivo (Anniversario della Liberazione): il termine è prorogato al 26/04/2024 (art. 172 co. 3 c.p.p.)",
    );
    expect(rules(t)).toEqual(["dies-a-quo", "holiday-extension", "end-of-day"]);
    expect(t.flags).toEqual(["extended"]);
  });

  it("lists every day of a holiday chain", () => {
    const t = term({ from: "2024-12-24T10:00:00+01:00", amount: 1, unit: "days", regime: "penal" });
    expect(step(t, "holiday-extension").text).toBe(
      "25/12/2024 è festivo (Natale), 26/12/2024 è festivo (Santo Stefano): il termine è prorogato al 27/12/2024 (art. 172 co. 3 c.p.p.)",
    );
  });

  it("cites art. 155 co. 5 c.p.c. only when a Saturday was skipped", () => {
    const sat = term({ from: "2024-04-07T10:00:00+02:00", amount: 20, unit: "days", regime: "civil" });
    expect(step(sat, "holiday-extension").citation).toBe(
      "art. 155 co. 4 c.p.c. e art. 155 co. 5 c.p.c., applicabile ai termini che scadono dopo il 4 luglio 2009 (art. 58 co. 3 L. 69/2009)",
    );
    expect(step(sat, "holiday-extension").text).toMatch(/^27\/04\/2024 è sabato, 28\/04\/2024 è festivo \(domenica\)/);
    const hol = term({ from: "2025-05-28T10:00:00+02:00", amount: 5, unit: "days", regime: "civil" });
    expect(step(hol, "holiday-extension").citation).toBe("art. 155 co. 4 c.p.c.");
  });

  it("says a penal Saturday is not a holiday", () => {
    const t = term({ from: "2024-04-07T10:00:00+02:00", amount: 20, unit: "days", regime: "penal" });
    expect(step(t, "saturday-ordinary").citation).toBe("Cass. pen. sez. IV 9171/2018");
  });

  it("explains a month term on a holiday that is not moved, with the informational date", () => {
    const t = term({ from: "2024-02-29T10:00:00+01:00", amount: 3, unit: "years", regime: "penal" });
    expect(t.flags).toEqual(["monthEnd", "notExtended", "officeClosed"]);
    expect(rules(t)).toEqual(["calendar", "month-end", "not-extended", "end-of-day"]);
    expect(step(t, "month-end").text).toBe("Il 29/02/2027 non esiste: il termine scade l'ultimo giorno del mese, 28/02/2027 (art. 2963 co. 5 c.c.)");
    expect(step(t, "not-extended").text).toMatch(/28\/02\/2027 è festivo \(domenica\).*art\. 172 co\. 3 c\.p\.p\. prevede la proroga per i soli termini stabiliti a giorni.*scade comunque il 28\/02\/2027.*01\/03\/2027.*informativo/);
  });

  it("moves administrative month terms and cites art. 2963 c.c.", () => {
    const t = term({ from: "2024-03-31T10:00:00+02:00", amount: 3, unit: "months", regime: "administrative" });
    expect(t.steps.map((s) => s.citation)).toEqual([
      "Art. 2963 co. 1 c.c.", "art. 2963 co. 5 c.c.", "art. 2963 co. 3 c.c.", "art. 2963 co. 2 c.c.",
    ]);
    expect(t.flags).toEqual(["monthEnd", "extended"]);
  });

  it("explains the August suspension, deferred start and running term", () => {
    const deferred = term({ from: "2024-08-10T10:00:00+02:00", amount: 30, unit: "days", regime: "penal", feriale: "apply" });
    expect(step(deferred, "august-suspension").citation).toMatch(/^art\. 1 L\. 742\/1969 come modificato dall'art\. 16 co\. 1 e 3 D\.L\. 12 settembre 2014 n\. 132/);
    expect(step(deferred, "august-suspension").text).toMatch(/durante la sospensione feriale \(dal 1° al 31 agosto 2024\): decorre dal giorno successivo, che è il primo giorno; il termine scade il 30\/09\/2024/);
    expect(deferred.flags).toEqual(["augustSuspension"]);
    const running = term({ from: "2024-09-15T10:00:00+02:00", amount: 700, unit: "days", regime: "civil", feriale: "apply" });
    expect(step(running, "august-suspension").text).toMatch(/sospeso dal 1° al 31 agosto 2025 e dal 1° al 31 agosto 2026/);
  });

  it("names the version of the suspension applied, year by year", () => {
    const old = term({ from: "2013-07-25T10:00:00+02:00", amount: 10, unit: "days", regime: "civil", feriale: "apply" });
    expect(step(old, "august-suspension")).toMatchObject({ citation: "art. 1 L. 7 ottobre 1969 n. 742, testo originario (sospensioni fino al 2014)" });
    expect(step(old, "august-suspension").text).toMatch(/sospeso dal 1° agosto al 15 settembre 2013 e riprende il giorno successivo; il termine scade il 19\/09\/2013/);
    const both = term({ from: "2014-07-01T10:00:00+02:00", amount: 400, unit: "days", regime: "penal", feriale: "apply" });
    expect(step(both, "august-suspension").text).toMatch(/dal 1° agosto al 15 settembre 2014 e dal 1° al 31 agosto 2015/);
    expect(step(both, "august-suspension").citation).toMatch(/testo originario.*; art\. 1 L\. 742\/1969 come modificato/);
  });

  it("names the exception that leaves the suspension out, and the choice to leave it out", () => {
    const custody = term({ from: "2024-08-10T10:00:00+02:00", amount: 30, unit: "days", regime: "penal", feriale: "custody-waived" });
    expect(step(custody, "august-suspension")).toMatchObject({ citation: "art. 2 L. 742/1969 (testo sostituito dall'art. 240-bis disp. att. c.p.p.)" });
    expect(step(custody, "august-suspension").text).toMatch(/imputato in custodia cautelare che, o il cui difensore, rinuncia/);
    const ignored = term({ from: "2024-08-10T10:00:00+02:00", amount: 30, unit: "days", regime: "penal", feriale: "ignore" });
    expect(step(ignored, "august-suspension").text).toMatch(/non è applicata a questo termine, come indicato/);
  });

  it("states the version of the civil Saturday rule, and the assumption when the institution date is missing", () => {
    const assumed = term({ from: "2009-01-28T10:00:00+01:00", amount: 10, unit: "days", regime: "civil" });
    expect(step(assumed, "saturday-ordinary").text).toMatch(/^07\/02\/2009 è sabato, ma non è indicata la data di instaurazione del procedimento: si assume, prudenzialmente/);
    const before = term({ from: "2005-06-22T10:00:00+02:00", amount: 10, unit: "days", regime: "civil" });
    expect(step(before, "saturday-ordinary").text).toMatch(/non esisteva ancora/);
    const after = term({ from: "2009-01-28T10:00:00+01:00", amount: 10, unit: "days", regime: "civil", instituted: "2007-01-10" });
    expect(step(after, "holiday-extension").citation).toMatch(/procedimento instaurato dopo il 1° marzo 2006 \(art\. 2 co\. 4 L\. 263\/2005\)/);
  });

  it("says when the suspension does not apply", () => {
    const admin = term({ from: "2024-07-01T10:00:00+02:00", amount: 120, unit: "days", regime: "administrative", feriale: "apply" });
    expect(step(admin, "august-suspension").text).toMatch(/non si applica ai termini amministrativi/);
    expect(admin.flags).not.toContain("augustSuspension");
    const hours = term({ from: "2024-08-10T10:00:00+02:00", amount: 48, unit: "hours", regime: "penal", feriale: "apply" });
    expect(texts(hours).at(-1)).toMatch(/non si applica ai termini a ore: .*nostra lettura, perché questi termini tutelano la libertà personale/);
    const untouched = term({ from: "2024-02-01T10:00:00+01:00", amount: 10, unit: "days", regime: "penal", feriale: "apply" });
    expect(step(untouched, "august-suspension").text).toMatch(/non incide/);
  });

  it("explains hour terms as elapsed time across summer time", () => {
    const t = term({ from: "2026-03-28T22:00:00+01:00", amount: 48, unit: "hours", regime: "penal" });
    expect(t.dueDate).toBeUndefined();
    expect(t.flags).toEqual(["summerTimeChange"]);
    expect(texts(t)[0]).toMatch(/le 48 ore decorrono dalle 22:00 del 28\/03\/2026 e scadono alle 23:00 del 30\/03\/2026/);
    expect(texts(t)[1]).toMatch(/entra in vigore l'ora legale/);
  });

  it("flags a local closure without moving, and notes Rome's contested 29 June", () => {
    const to = term({ from: "2025-05-25T10:00:00+02:00", amount: 30, unit: "days", regime: "penal", calendar: "IT-TO" });
    expect(to.flags).toEqual(["officeClosed"]);
    expect(to.steps.find((s) => s.rule === "office-closed")!.text).toMatch(/uffici di Torino sono chiusi \(San Giovanni Battista/);
    const rm = term({ from: "2026-06-19T10:00:00+02:00", amount: 10, unit: "days", regime: "penal", calendar: "IT-RM" });
    expect(rm.steps.find((s) => s.rule === "office-closed")!.text).toMatch(/controverso/);
  });

  it("ends day terms at the end of the day, as art. 172 co. 6-bis c.p.p. allows", () => {
    const t = term({ from: "2024-01-10T10:00:00+01:00", amount: 30, unit: "days", regime: "penal" });
    expect(t.steps.at(-1)).toMatchObject({ rule: "end-of-day", citation: "art. 172 co. 6-bis c.p.p." });
  });
});
