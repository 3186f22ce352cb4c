/**
 * Italian that reads as Italian, everywhere a person reads: every page of every role and every kind
 * of message, rendered with nothing, one and two of each thing they count, must contain none of
 * the forms a reader would stop at — "1 scadute", "2 giorno", "a Procura", "Registra: …", an
 * English state or kind, an ISO timestamp.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { composeDigest, composeMessage, type MessageFacts } from "../../src/notify/compose.js";
import { sweep } from "../../src/workflows/sweep.js";
import { newRef, record } from "../backbone/helpers.js";
import { type Browser, pageText, signedIn } from "./browser.js";

const NOUNS_ONE = "scaduta|giorno|ora|tentativo|messaggio|voce|errore|promemoria programmato|termine scaduto|altro messaggio programmato|procedimento";
const NOUNS_MANY = "scadute|giorni|ore|tentativi|messaggi|voci|errori|messaggi programmati|termini scaduti|altri messaggi programmati|procedimenti";

/** Each wrong form, with what it is, so a failure says what to fix. */
const WRONG: Array<[RegExp, string]> = [
  [new RegExp(`(?<![\\d/.:,])1 (${NOUNS_MANY})\\b`), "one, with a plural noun"],
  [new RegExp(`(?<![\\d/.:,])(0|[2-9]|[1-9]\\d+) (${NOUNS_ONE})\\b`), "zero or several, with a singular noun"],
  [/ a (Procura|Procuratore|Ufficio|Presidente|Prefettura|Questura|CUAV|Città|Associazione|Regione|Presidenza|Tribunale)\b/, "«a» with no article before an office"],
  [/Registra: /, "an action label that is not a sentence"],
  [/\b(reminder|escalation|scheduled|sending|superseded|digested|notice|fallback|overdue|pending)\b/, "an English word"],
  [/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, "an ISO timestamp"],
  [/\b[a-z]{3,}\.[a-z]{3,}(-[a-z]+)*\b/, "an event type id"],
];

function problems(text: string): string[] {
  // Addresses and links are not prose.
  const prose = text.replace(/\S+@\S+/g, "").replace(/https?:\/\/\S+/g, "").replace(/\S+\.(css|js|svg|ics|pdf|csv|json)\b/g, "");
  return WRONG.flatMap(([re, what]) => {
    const m = re.exec(prose);
    return m === null ? [] : [`${what}: «…${prose.slice(Math.max(0, m.index - 40), m.index + m[0].length + 20)}…»`];
  });
}

const PAGES: Record<string, string[]> = {
  "operatore.procura@example.org": ["/", "/calendario", "/relazioni", "/accessibilita", "/privacy", "/note-legali"],
  "procuratore@example.org": ["/", "/calendario"],
  "funzionario.regione@example.org": ["/relazioni"],
  "funzionario.ministero@example.org": ["/relazioni"],
  "amministratore@example.org": ["/admin", "/admin/posta", "/admin/registro", "/admin/utenti", "/admin/utenti/invita", "/admin/uffici", "/admin/uffici/nuovo", "/admin/mittenti", "/admin/webhook"],
};

const browsers = new Map<string, Browser>();
async function as(email: string): Promise<Browser> {
  if (!browsers.has(email)) browsers.set(email, await signedIn(email));
  return browsers.get(email)!;
}

/** What a reader reads as prose: ids shown as code on purpose, and the raw records behind a disclosure, are not. */
const readable = (html: string) => pageText(html.replace(/<code[^>]*>.*?<\/code>/gs, " ").replace(/<pre[^>]*>.*?<\/pre>/gs, " "));

async function everyPage(refs: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const [email, paths] of Object.entries(PAGES)) {
    const b = await as(email);
    const casePaths = email === "operatore.procura@example.org" ? refs.map((r) => `/cases/${encodeURIComponent(r)}?ufficio=procura-torino`) : [];
    for (const path of [...paths, ...casePaths]) {
      const res = await b.go(path);
      expect(res.status, `${email} ${path}`).toBe(200);
      found.push(...problems(readable(await res.text())).map((p) => `${email} ${path}: ${p}`));
    }
  }
  return found;
}

describe("every page, with nothing, one and two of each thing counted", () => {
  it("reads as Italian for every role", async () => {
    const refs: string[] = [];
    expect(await everyPage(refs)).toEqual([]);
    for (const n of [1, 2]) {
      // One more overdue case, with its escalations sent (the outbox and the log count them too).
      const ref = newRef();
      await record(ref, "suspect.registered", new Date(Date.now() - 40 * 86_400_000).toISOString(), { jurisdiction: "TO" });
      await sweep(env, Date.now());
      refs.push(ref);
      expect(await everyPage(refs), `with ${n}`).toEqual([]);
    }
  });

  it("catches the forms it looks for (the test can fail)", () => {
    for (const bad of ["1 scadute", "2 giorno", "inviato a Procura della Repubblica", "Registra: misure richieste", "stato: scheduled", "scade 2026-12-06T10:00", "evento measures.requested"]) {
      expect(problems(`Testo ${bad} fine`), bad).not.toEqual([]);
    }
    expect(problems("1 scaduta, 2 scadute, 0 giorni, alla Procura, il 06/12/2026 alle 10:00, scrivere a ufficio@example.org")).toEqual([]);
  });
});

describe("every kind of message, alone and in digests of one and two", () => {
  const base = {
    rung: "reminder-7d", caseRef: "977966/2026", timelineTitle: "Valutazione delle misure cautelari (art. 362-bis c.p.p.)",
    stageTitle: "Valutazione del pubblico ministero", basis: "art. 362-bis co. 1 c.p.p.", due: "23:59 del 01/10/2026",
    responsibleOffice: "Procura della Repubblica presso il Tribunale di Torino", recipientOffice: "Procuratore della Repubblica presso il Tribunale di Torino",
    link: "https://termini.example/cases/1", administration: "Ministero della Giustizia",
  };
  const kinds = ["reminder", "escalation", "fallback", "alert", "notice"] as const;

  it.each(kinds)("a %s reads as Italian", (kind) => {
    const m = composeMessage({ ...base, kind, notice: kind === "notice" ? { notice: "date-changed", previousDueAt: "2026-09-30T23:59:59+02:00" } : undefined } as MessageFacts);
    expect(problems(`${m.subject}\n${m.text}`)).toEqual([]);
  });

  it("digests of one and two, escalations and reminders, read as Italian", () => {
    for (const items of [[{ ...base, kind: "reminder" }], [{ ...base, kind: "escalation" }], [{ ...base, kind: "escalation" }, { ...base, kind: "escalation" }], [{ ...base, kind: "reminder" }, { ...base, kind: "reminder" }], [{ ...base, kind: "escalation" }, { ...base, kind: "reminder" }]]) {
      const m = composeDigest("Ufficio GIP del Tribunale di Torino", items as MessageFacts[]);
      expect(problems(`${m.subject}\n${m.text}`), JSON.stringify(items.map((i) => i.kind))).toEqual([]);
    }
  });
});
