/** The articles and agreements a reader expects, for every kind of office name the directory holds. */
import { describe, expect, it } from "vitest";
import { count, withArticle } from "../../src/lib/italian.js";
import { composeDigest, composeMessage } from "../../src/notify/compose.js";

describe("an office's name with its articulated preposition", () => {
  it.each([
    ["Procura della Repubblica presso il Tribunale di Torino", "alla Procura della Repubblica presso il Tribunale di Torino"],
    ["Procuratore della Repubblica presso il Tribunale di Torino", "al Procuratore della Repubblica presso il Tribunale di Torino"],
    ["Procura Generale presso la Corte d'appello di Torino", "alla Procura Generale presso la Corte d'appello di Torino"],
    ["Ufficio GIP del Tribunale di Torino", "all'Ufficio GIP del Tribunale di Torino"],
    ["Presidente della sezione GIP del Tribunale di Torino", "al Presidente della sezione GIP del Tribunale di Torino"],
    ["Prefettura di Torino", "alla Prefettura di Torino"],
    ["Questura di Torino — divisione anticrimine", "alla Questura di Torino — divisione anticrimine"],
    ["CUAV Torino (centro per uomini autori di violenza)", "al CUAV Torino (centro per uomini autori di violenza)"],
    ["Città metropolitana di Torino", "alla Città metropolitana di Torino"],
    ["Associazione dimostrativa iscritta al registro (Torino)", "all'Associazione dimostrativa iscritta al registro (Torino)"],
    ["Regione Piemonte — settore pari opportunità", "alla Regione Piemonte — settore pari opportunità"],
    ["Presidenza del Consiglio — Dipartimento per le pari opportunità", "alla Presidenza del Consiglio — Dipartimento per le pari opportunità"],
    ["Ufficio di esecuzione penale esterna di Torino", "all'Ufficio di esecuzione penale esterna di Torino"],
    ["Sportello antiviolenza", "allo Sportello antiviolenza"],
    ["Centro antiviolenza dimostrativo (Milano)", "al Centro antiviolenza dimostrativo (Milano)"],
  ])("«a» + %s", (name, expected) => {
    expect(withArticle("a", name)).toBe(expected);
  });

  it("takes the other prepositions the same way", () => {
    expect([withArticle("di", "Procura di Torino"), withArticle("da", "Ufficio GIP"), withArticle("su", "Procuratore")]).toEqual(["della Procura di Torino", "dall'Ufficio GIP", "sul Procuratore"]);
  });
});

describe("counts agree with their noun", () => {
  it("says 0 and 2 in the plural and 1 in the singular", () => {
    expect([0, 1, 2].map((n) => count(n, "scaduta", "scadute"))).toEqual(["0 scadute", "1 scaduta", "2 scadute"]);
  });
});

describe("the messages never put a bare «a» before an office's name", () => {
  const facts = {
    rung: "escalation-1", caseRef: "977966/2026", timelineTitle: "Valutazione delle misure cautelari (art. 362-bis c.p.p.)",
    stageTitle: "Valutazione del pubblico ministero", basis: "art. 362-bis co. 1 c.p.p.", due: "23:59 del 01/10/2026",
    responsibleOffice: "Procura della Repubblica presso il Tribunale di Torino", recipientOffice: "Procuratore della Repubblica presso il Tribunale di Torino",
    link: "https://termini.example/cases/1",
  };
  const wrong = / a (Procura|Procuratore|Ufficio|Presidente|Prefettura|Questura|CUAV|Città|Associazione|Regione|Presidenza)\b/;
  it.each(["reminder", "escalation", "fallback", "alert"] as const)("in a %s", (kind) => {
    const m = composeMessage({ kind, ...facts });
    expect(m.text).not.toMatch(wrong);
    expect(m.html).not.toMatch(wrong);
  });

  it("in an escalation, to the office above, and in a digest sent to the fallback address", () => {
    expect(composeMessage({ kind: "escalation", ...facts }).text).toContain("La segnalazione è inviata al Procuratore della Repubblica presso il Tribunale di Torino quale ufficio sovraordinato.");
    const digest = composeDigest("Ufficio GIP del Tribunale di Torino", [{ kind: "escalation", ...facts }],
      { notice: "delivery-failing", rung: "x/digest", error: "503", attempts: 3, since: 0, retryUntil: null });
    expect(digest.text).toContain("Non è stato possibile recapitare all'Ufficio GIP del Tribunale di Torino il riepilogo");
  });
});
