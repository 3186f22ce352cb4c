/**
 * POST /api/v1/deadlines/preview runs what a case runs: the rules the old
 * pure simulation left out — anniversaries, suspensions, every attendance
 * week, corrections — each on a hand-computed case.
 */
import { describe, expect, it } from "vitest";
import { api } from "../backbone/helpers.js";

type Deadline = { stage: string; seq: number; dueAt: string; dueDate: string | null; status: string; rungs: { sendAt: string }[] };

async function preview(body: Record<string, unknown>): Promise<{ status: number; body: { deadlines: Deadline[]; code?: string; parameter?: string; detail?: string } }> {
  const res = await api("POST", "/api/v1/deadlines/preview", { token: null, body });
  return { status: res.status, body: (await res.json()) as never };
}

describe("POST /api/v1/deadlines/preview — the case's rules", () => {
  it("counts plenaries per calendar year: two in one year do not cover the next", async () => {
    const r = await preview({ timeline: "turin-protocol", calendar: "IT-TO", until: "2026-01-10T10:00:00+01:00", events: [
      { type: "protocol.approved", occurredAt: "2024-03-11T10:00:00+01:00" },
      { type: "protocol.plenary-held", occurredAt: "2024-04-02T10:00:00+02:00" },
      { type: "protocol.plenary-held", occurredAt: "2024-12-02T10:00:00+01:00" },
    ] });
    expect(r.status).toBe(200);
    // «Si riunisce in plenaria una volta all'anno»: 2024 met, 2025 without one, 2026 open.
    expect(r.body.deadlines.filter((d) => d.stage === "plenary").map((d) => [d.seq, d.dueDate, d.status])).toEqual([
      [1, "2024-12-31", "met"], [2, "2025-12-31", "late"], [3, "2026-12-31", "open"],
    ]);
  });

  it("takes an act at the very instant a lapsing term ends as in time, as a case does", async () => {
    const r = await preview({ timeline: "384-bis", events: [
      { type: "removal.executed", occurredAt: "2026-11-02T10:00:00+01:00" },
      { type: "validation.requested", occurredAt: "2026-11-04T10:00:00+01:00" },
    ] });
    expect([r.status, r.body.deadlines[0]!.stage, r.body.deadlines[0]!.status]).toEqual([200, "validation-request", "met"]);
  });

  it("moves a suspended term by the days actually suspended", async () => {
    const r = await preview({ timeline: "register-application", events: [
      { type: "register.application-received", occurredAt: "2024-03-01T10:00:00+01:00" },
      { type: "register.documents-requested", occurredAt: "2024-03-10T10:00:00+01:00" },
      { type: "register.documents-received", occurredAt: "2024-03-20T10:00:00+01:00" },
    ] });
    // 30 days plus 10 suspended from 1 March 2024: Wednesday 10 April.
    expect(r.body.deadlines.map((d) => [d.stage, d.dueDate, d.status])).toEqual([["decision", "2024-04-10", "open"]]);
  });

  it("shows every attendance week up to the instant asked, met, lapsed and open", async () => {
    const r = await preview({ timeline: "programme-suspended-sentence", until: "2026-03-17T12:00:00+01:00", events: [
      { type: "sentence.irrevocable", occurredAt: "2026-02-16T10:00:00+01:00", data: { dueDate: "2026-03-16", durationMonths: "8" } },
      { type: "programme.started-suspended-sentence", occurredAt: "2026-03-02T10:00:00+01:00" },
      { type: "programme.attendance", occurredAt: "2026-03-03T10:00:00+01:00" },
      { type: "programme.attendance", occurredAt: "2026-03-05T10:00:00+01:00" },
    ] });
    expect(r.body.deadlines.filter((d) => d.stage === "attendance").map((d) => [d.seq, d.dueAt, d.status])).toEqual([
      [1, "2026-03-09T10:00:00+01:00", "met"], [2, "2026-03-16T10:00:00+01:00", "late"], [3, "2026-03-23T10:00:00+01:00", "open"],
    ]);
  });

  it("applies a correction named by the position of the event it corrects", async () => {
    const r = await preview({ timeline: "362-bis", events: [
      { type: "suspect.registered", occurredAt: "2024-03-26T10:00:00+01:00" },
      { type: "event.corrected", occurredAt: "2024-03-27T10:00:00+01:00", data: { eventId: 0, occurredAt: "2024-03-20T10:00:00+01:00" } },
    ] });
    // 30 days from 20 March 2024: Friday 19 April.
    expect(r.body.deadlines.map((d) => [d.stage, d.dueDate])).toEqual([["pm-assessment", "2024-04-19"]]);
  });

  it("gives every instant a reader sees with the Rome offset", async () => {
    const r = await preview({ timeline: "362-bis", events: [{ type: "suspect.registered", occurredAt: "2024-03-26T10:00:00Z" }] });
    const instants = r.body.deadlines.flatMap((d) => [d.dueAt, ...d.rungs.map((x) => x.sendAt)]);
    expect(instants.length).toBeGreaterThan(3);
    for (const t of instants) expect(t).toMatch(/T\d{2}:\d{2}:\d{2}\+0[12]:00$/);
  });

  it("names the event a case would refuse, with the case's own code", async () => {
    const r = await preview({ timeline: "362-bis", events: [
      { type: "suspect.registered", occurredAt: "2024-03-26T10:00:00+01:00" },
      { type: "measures.decided", occurredAt: "2024-03-28T10:00:00+01:00" },
    ] });
    expect([r.status, r.body.code, r.body.parameter]).toEqual([409, "stage_not_started", "events.1.type"]);
    expect(r.body.detail).toMatch(/^events\.1: La fase «Decisione del giudice/);
  });

  it("refuses a preview that would roll more periods than it shows", async () => {
    const r = await preview({ timeline: "programme-suspended-sentence", until: "2040-01-01T00:00:00Z", events: [
      { type: "sentence.irrevocable", occurredAt: "2026-02-16T10:00:00+01:00", data: { dueDate: "2026-03-16", durationMonths: "8" } },
      { type: "programme.started-suspended-sentence", occurredAt: "2026-03-02T10:00:00+01:00" },
    ] });
    expect([r.status, r.body.parameter]).toEqual([422, "until"]);
  });
});
