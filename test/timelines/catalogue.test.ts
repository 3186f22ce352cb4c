import { env } from "cloudflare:workers";
import { count } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deadlines } from "../../src/db/schema.js";
import { CATALOGUE } from "../../src/timelines/catalog.js";
import { loadTimeline } from "../../src/timelines/sources.js";
import { ART_362_BIS } from "../../src/timelines/art-362-bis.js";
import { api, db } from "../backbone/helpers.js";

describe("the catalogue", () => {
  it("loads every timeline through its schema, each stage citing a legal basis", () => {
    expect(CATALOGUE.map((t) => t.id)).toEqual(expect.arrayContaining(["362-bis", "362-1-ter", "384-bis", "382-bis", "indemnity-claim", "ammonimento-revocation", "register-changes"]));
    for (const t of CATALOGUE) for (const s of t.stages) expect(s.basis).toMatch(/art\.|proposta di legge|protocollo/);
  });

  it("refuses a definition whose stage names a role the timeline does not have", () => {
    const broken = { ...ART_362_BIS, stages: [{ ...ART_362_BIS.stages[0]!, office: "questura" }] };
    expect(() => loadTimeline(broken)).toThrow(/role questura not in roles/);
  });

  it("lists the catalogue, with bills labelled and disabled unless the deployment enables them", async () => {
    const res = await api("GET", "/api/v1/timelines", { token: null });
    const { timelines } = (await res.json()) as { timelines: { id: string; status: string; statusLabel: string; enabled: boolean; title: string; stages: { term: unknown }[] }[] };
    const bill = timelines.find((t) => t.id === "register-changes")!;
    expect(bill).toMatchObject({ status: "bill", statusLabel: "proposta di legge", enabled: false });
    expect(bill.title).toContain("(proposta di legge)");
    expect(timelines.find((t) => t.id === "384-bis")).toMatchObject({ status: "in-force", statusLabel: "in vigore", enabled: true });
    expect(timelines.find((t) => t.id === "384-bis")!.stages[0]!.term).toEqual({ amount: 48, unit: "hours", regime: "penal", feriale: "ignore" });
    expect(env.ENABLED_BILLS).toBe("");
  });
});

describe("POST /api/v1/deadlines/preview", () => {
  it("returns the deadlines a sequence of events would produce, with reasons and rungs, creating nothing", async () => {
    const [before] = await db().select({ n: count() }).from(deadlines);
    const res = await api("POST", "/api/v1/deadlines/preview", {
      token: null,
      body: { timeline: "362-bis", events: [
        { type: "suspect.registered", occurredAt: "2024-03-26T10:00:00+01:00" },
        { type: "measures.requested", occurredAt: "2024-04-20T10:00:00+02:00" },
      ] },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { created: boolean; closed: boolean; deadlines: { stage: string; dueDate: string; plainDate?: string; status: string; why: { steps: { text: string }[]; plainDate?: string }; rungs: { rung: string }[] }[] };
    expect(body.created).toBe(false);
    expect(body.closed).toBe(false);
    // 26 March + 30 = 25 April 2024, Liberation Day: moved to 26 April.
    expect(body.deadlines.map((d) => [d.stage, d.dueDate, d.status])).toEqual([
      ["pm-assessment", "2024-04-26", "met"],
      ["gip-decision", "2024-05-10", "open"],
    ]);
    expect(body.deadlines[0]!.why.plainDate).toBe("2024-04-25");
    expect(body.deadlines[0]!.why.steps.map((s) => s.text).join(" ")).toContain("25/04/2024 è festivo (Anniversario della Liberazione)");
    expect(body.deadlines[1]!.rungs.map((r) => r.rung)).toEqual(["reminder-7d", "reminder-2d", "reminder-due-day", "escalation-1", "escalation-2"]);
    const [after] = await db().select({ n: count() }).from(deadlines);
    expect(after!.n).toBe(before!.n);
  });

  it("names the event that does not fit the timeline", async () => {
    const bad = await api("POST", "/api/v1/deadlines/preview", {
      token: null, body: { timeline: "362-bis", events: [{ type: "measures.decided", occurredAt: "2024-03-26T10:00:00+01:00" }] },
    });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { parameter: string }).parameter).toBe("events.0.type");
    const unknown = await api("POST", "/api/v1/deadlines/preview", { token: null, body: { timeline: "nope", events: [{ type: "x", occurredAt: "2024-03-26T10:00:00Z" }] } });
    expect(((await unknown.json()) as { parameter: string }).parameter).toBe("timeline");
  });

  it("counts attestations towards a programme's first week", async () => {
    const res = await api("POST", "/api/v1/deadlines/preview", {
      token: null,
      body: { timeline: "programme-suspended-sentence", events: [
        { type: "sentence.irrevocable", occurredAt: "2026-02-16T10:00:00+01:00", data: { dueDate: "2026-03-16", durationMonths: "8" } },
        { type: "programme.started-suspended-sentence", occurredAt: "2026-03-02T10:00:00+01:00" },
        { type: "programme.attendance", occurredAt: "2026-03-03T10:00:00+01:00" },
        { type: "programme.attendance", occurredAt: "2026-03-05T10:00:00+01:00" },
      ] },
    });
    const body = (await res.json()) as { deadlines: { stage: string; status: string; dueAt: string }[] };
    expect(body.deadlines.filter((d) => d.stage === "attendance")).toMatchObject([{ stage: "attendance", status: "met", dueAt: "2026-03-09T10:00:00+01:00" }]);
  });
});

describe("event labels", () => {
  it("name every starting event by what happened, never by the stage it opens", async () => {
    const { CATALOGUE, eventLabel } = await import("../../src/timelines/catalog.js");
    for (const t of CATALOGUE) expect(eventLabel(t.trigger), t.id).not.toMatch(/^Avvio:|\./);
  });
  it("name every event type of the catalogue in Italian, never by its id", async () => {
    const { eventLabel, eventTypes } = await import("../../src/timelines/catalog.js");
    for (const t of eventTypes()) expect(eventLabel(t), t).not.toMatch(/^[a-z]+\.[a-z-]+$|^Avvio:/);
  });

  it("give every act a clerk can record a button that says what is recorded, in a sentence", async () => {
    const { CATALOGUE, actionLabel } = await import("../../src/timelines/catalog.js");
    const { ACTION_LABELS } = await import("../../src/timelines/event-labels.js");
    for (const t of CATALOGUE) {
      for (const s of t.stages) {
        for (const type of Object.keys(s.closesOn)) {
          expect(Object.hasOwn(ACTION_LABELS, type), `${t.id}/${s.id}: ${type}`).toBe(true);
          expect(actionLabel(type)).toMatch(/^Registra (il |la |l'|lo |che )/);
        }
      }
    }
  });
});
