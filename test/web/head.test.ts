/**
 * A head of office lands on what a head needs: first the escalations sent to them (each with the
 * deadline that passed, the office that had to act, where it stands now), then the deadlines of the
 * offices they oversee, with counts that are links and filters by status and timeline.
 */
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { sweep } from "../../src/workflows/sweep.js";
import { newRef, record } from "../backbone/helpers.js";
import { pageText, signedIn } from "./browser.js";

it("shows the head the escalations sent to them first, then their offices' deadlines, filterable, with counts as links", async () => {
  const late = newRef();
  const fresh = newRef();
  await record(late, "suspect.registered", new Date(Date.now() - 40 * 86_400_000).toISOString(), { jurisdiction: "TO" });
  await record(fresh, "suspect.registered", new Date(Date.now() - 86_400_000).toISOString(), { jurisdiction: "TO" });
  // The escalations of the overdue case go out now: to the Procuratore, then the Procura Generale.
  await sweep(env, Date.now());
  const head = await signedIn("procuratore@example.org");
  const html = await (await head.go("/")).text();
  const page = pageText(html);
  expect(page).toContain("Segnalazioni ricevute negli ultimi 30 giorni");
  const received = page.slice(page.indexOf("Segnalazioni ricevute"), page.indexOf("Scadenze degli uffici che dirige"));
  expect(received).toContain("1 segnalazione, con l'atto non ancora registrato");
  expect(received).toMatch(new RegExp(`${late.replace("/", "\\/")} Valutazione del pubblico ministero sulle misure cautelari scadenza \\d{2}/\\d{2}/\\d{4} 23:59 Procura della Repubblica presso il Tribunale di Torino — gruppo fasce deboli Atto non ancora registrato: scaduta da \\d+ giorni`));
  expect(received).not.toContain(fresh);
  // The counts are links to each band; the filter keeps to it.
  expect(html).toContain('<a href="/?stato=scadute"><span class="badge bg-danger">1</span> <span class="label">scaduta</span></a>');
  const overdue = pageText(await (await head.go("/?stato=scadute")).text());
  const table = overdue.slice(overdue.indexOf("Scadenze degli uffici che dirige"));
  expect(table).toContain(late);
  expect(table).not.toContain(fresh);
  const later = pageText(await (await head.go("/?stato=in-seguito&scadenzario=362-bis")).text());
  expect(later.slice(later.indexOf("Scadenze degli uffici che dirige"))).toContain(fresh);
  expect(later.slice(later.indexOf("Scadenze degli uffici che dirige"))).not.toContain(late);
});

it("gives an operator the same filters, without the head's escalations", async () => {
  const operator = pageText(await (await (await signedIn()).go("/?stato=scadute")).text());
  expect(operator).not.toContain("Segnalazioni ricevute");
  expect(operator).toContain("Stato");
});
