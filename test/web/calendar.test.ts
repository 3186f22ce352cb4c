/**
 * The calendar feed parsed with a real iCalendar parser (ical.js): the
 * Europe/Rome zone, stable UIDs, an alarm the day before, and revocation.
 */
import ICAL from "ical.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { idleWorkflows, newRef, record } from "../backbone/helpers.js";
import { Browser, signedIn } from "./browser.js";
import { csrfOf } from "./csrf.js";

let spy: Awaited<ReturnType<typeof idleWorkflows>>;
beforeAll(async () => { spy = await idleWorkflows(); });
afterAll(async () => { await spy.dispose(); });

/** A new address: in the answer to the POST (confirmed when one is active), never in a URL. */
async function feedAddress(b: Browser): Promise<string> {
  const csrf = csrfOf(await (await b.go("/calendario")).text());
  let res = await b.go("/calendario", { form: { csrf, azione: "crea" } });
  let html = await res.text();
  if (html.includes("revoca quello attuale")) {
    res = await b.go("/calendario", { form: { csrf, azione: "crea-confermato" } });
    html = await res.text();
  }
  expect([res.status, res.headers.get("Location")]).toEqual([200, null]);
  const token = /\/ical\/([A-Za-z0-9_-]+)\.ics/.exec(html)![1]!;
  // Not shown again on the next visit.
  expect(await (await b.go("/calendario")).text()).not.toContain(token);
  return `/ical/${token}.ics`;
}

it("publishes the office's open deadlines as a calendar with stable UIDs and an alarm the day before, until revoked", async () => {
  const ref = newRef();
  const started = await record(ref, "suspect.registered", "2026-03-02T10:15:00+01:00", { jurisdiction: "TO" });
  const pm = started.body.deadlines[0]!;
  const b = await signedIn();
  const address = await feedAddress(b);

  const res = await new Browser().go(address);
  expect(res.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
  const text = await res.text();
  expect(text).toContain("\r\n");
  const cal = new ICAL.Component(ICAL.parse(text));
  expect(cal.getFirstSubcomponent("vtimezone")!.getFirstPropertyValue("tzid")).toBe("Europe/Rome");
  const event = cal.getAllSubcomponents("vevent").find((e) => e.getFirstPropertyValue("uid") === `${pm.id}@termini`)!;
  expect(event).toBeDefined();
  const start = event.getFirstPropertyValue("dtstart") as ICAL.Time;
  expect(start.toString()).toBe("2026-04-01");
  expect(String(event.getFirstPropertyValue("summary"))).toContain(`proc. ${ref}`);
  // The description is read by a person: Italian date and sentence, no ISO timestamp or id.
  const description = String(event.getFirstPropertyValue("description"));
  expect(description).toContain(`Procedimento ${ref}: scade il 01/04/2026 alle 23:59. Tocca alla Procura della Repubblica presso il Tribunale di Torino`);
  expect(description).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  expect(String(event.getFirstSubcomponent("valarm")!.getFirstPropertyValue("trigger"))).toBe("-P1D");

  // Refreshed, the same deadline keeps its UID; revoked, the address stops working.
  const again = new ICAL.Component(ICAL.parse(await (await new Browser().go(address)).text()));
  expect(again.getAllSubcomponents("vevent").some((e) => e.getFirstPropertyValue("uid") === `${pm.id}@termini`)).toBe(true);
  const csrf = csrfOf(await (await b.go("/calendario")).text());
  await b.go("/calendario", { form: { csrf, azione: "revoca" } });
  expect((await new Browser().go(address)).status).toBe(404);
});

it("asks before a new address revokes the active one, and explains how to subscribe", async () => {
  const b = await signedIn();
  const first = await feedAddress(b);
  const csrf = csrfOf(await (await b.go("/calendario")).text());
  const asked = await (await b.go("/calendario", { form: { csrf, azione: "crea" } })).text();
  expect(asked).toContain("Creare un nuovo indirizzo revoca quello attuale");
  // Only asked: the first address still works.
  expect((await new Browser().go(first)).status).toBe(200);
  const page = await (await b.go("/calendario")).text();
  for (const client of ["Outlook", "Thunderbird", "Google Calendar"]) expect(page).toContain(client);
});
