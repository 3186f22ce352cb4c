/**
 * After police action the validation chain runs (artt. 386, 390, 391 c.p.p.),
 * and art. 384-bis co. 2-bis counts from the earlier of the decree's issue and
 * its execution while the point is unverified. Every event comes through the
 * webhook: the Questura's from its own system, the Procura's and the GIP's from
 * the district's.
 * Hour terms, hand-computed (elapsed time, across summer time).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, casePath, fetchWith, idleWorkflows, newRef, postWebhook, senderFor } from "../backbone/helpers.js";

let spy: Awaited<ReturnType<typeof idleWorkflows>>;
beforeEach(async () => { spy = await idleWorkflows(); });
afterEach(async () => { await spy.dispose(); });

type Answer = { status: number; body: { code?: string; parameter?: string; timelines: { status: string }[]; deadlines: { stage: string; status: string; dueAt: string; office: string }[] } };

/** The district's system (Procura, GIP). */
async function hook(ref: string, type: string, occurredAt: string, data: Record<string, unknown> = {}, secret?: string): Promise<Answer> {
  const res = await postWebhook({ type, caseRef: ref, occurredAt, data }, secret === undefined ? {} : { secret });
  return { status: res.status, body: (await res.json()) as Answer["body"] };
}

/** The Questura's own system. */
const police = async (ref: string, type: string, occurredAt: string, data: Record<string, unknown> = {}) =>
  hook(ref, type, occurredAt, data, await senderFor("questura-torino-sistema", ["questura-torino"]));
const stages = (a: { body: Answer["body"] }) => a.body.deadlines.map((d) => [d.stage, d.status, d.dueAt, d.office]);

describe("art. 382-bis, then artt. 386, 390 and 391 c.p.p.", () => {
  it("runs hand-over, request, hearing and the peremptory decision from the arrest and the request", async () => {
    const ref = newRef();
    await police(ref, "offence.committed", "2026-05-04T22:30:00+02:00", { jurisdiction: "TO" });
    const arrested = await police(ref, "arrest.made", "2026-05-05T09:00:00+02:00");
    expect(stages(arrested)).toEqual([
      ["deferred-arrest", "met", "2026-05-06T22:30:00+02:00", "questura-torino"],
      // Record to the PM within 24 hours (art. 386 co. 3); request within 48 hours of the arrest (art. 390 co. 1).
      ["record-to-pm", "open", "2026-05-06T09:00:00+02:00", "questura-torino"],
      ["validation-request", "open", "2026-05-07T09:00:00+02:00", "procura-torino"],
    ]);
    expect((await police(ref, "arrest.record-sent", "2026-05-05T15:00:00+02:00")).body.deadlines).toMatchObject([{ stage: "record-to-pm", status: "met" }]);
    const requested = await hook(ref, "arrest.validation-requested", "2026-05-06T18:00:00+02:00");
    expect(requested.status).toBe(201);
    // Hearing within the next 48 hours (art. 390 co. 2); decision within 48 hours of being at the judge's disposal (art. 391 co. 7).
    expect(stages(requested)).toEqual([
      ["validation-request", "met", "2026-05-07T09:00:00+02:00", "procura-torino"],
      ["validation-hearing", "open", "2026-05-08T18:00:00+02:00", "gip-torino"],
      ["validation-decision", "open", "2026-05-08T18:00:00+02:00", "gip-torino"],
    ]);
    await hook(ref, "arrest.hearing-held", "2026-05-08T10:00:00+02:00");
    // An hour after the term: the arrest "cessa di avere efficacia se l'ordinanza di convalida non è pronunciata o
    // depositata nelle quarantotto ore successive" (art. 391 co. 7): no decision can be recorded on it any more.
    const late = await hook(ref, "arrest.validation-decided", "2026-05-08T19:00:00+02:00");
    expect([late.status, late.body.code]).toEqual([409, "stage_lapsed"]);
    const decided = await hook(ref, "arrest.validation-decided", "2026-05-08T17:00:00+02:00");
    expect(decided.body.deadlines).toMatchObject([{ stage: "validation-decision", status: "met" }]);
    expect(decided.body.timelines).toMatchObject([{ status: "closed" }]);
  });

  it("runs no validation when the PM orders release", async () => {
    const ref = newRef();
    await police(ref, "offence.committed", "2026-05-04T22:30:00+02:00", { jurisdiction: "TO" });
    await police(ref, "arrest.made", "2026-05-05T09:00:00+02:00");
    const released = await hook(ref, "arrest.released", "2026-05-05T20:00:00+02:00");
    expect(released.body.deadlines).toMatchObject([{ stage: "validation-request", status: "met" }]);
    const late = await hook(ref, "arrest.validation-requested", "2026-05-06T10:00:00+02:00");
    expect([late.status, late.body.code]).toEqual([409, "stage_closed"]);
    // The hand-over is still owed; once done, nothing is left.
    const sent = await police(ref, "arrest.record-sent", "2026-05-05T21:00:00+02:00");
    expect(sent.body.timelines).toMatchObject([{ status: "closed" }]);
  });
});

describe("art. 384-bis co. 1: removal by the police, arrest rules as far as compatible", () => {
  it("asks the record within 24 hours and the request within 48, then the hearing within the next 48", async () => {
    const ref = newRef();
    const start = await police(ref, "removal.police-executed", "2026-04-10T21:00:00+02:00", { jurisdiction: "TO" });
    expect(stages(start)).toEqual([
      ["record-to-pm", "open", "2026-04-11T21:00:00+02:00", "questura-torino"],
      ["validation-request", "open", "2026-04-12T21:00:00+02:00", "procura-torino"],
    ]);
    const requested = await hook(ref, "removal.validation-requested", "2026-04-12T10:00:00+02:00");
    // The hearing within 48 hours (art. 390 co. 2) and the decision within 48 hours of the person being at the
    // judge's disposal (art. 391 co. 7), both applicable "in quanto compatibili" (art. 384-bis co. 2).
    expect(stages(requested)).toEqual([
      ["validation-request", "met", "2026-04-12T21:00:00+02:00", "procura-torino"],
      ["validation-hearing", "open", "2026-04-14T10:00:00+02:00", "gip-torino"],
      ["validation-decision", "open", "2026-04-14T10:00:00+02:00", "gip-torino"],
    ]);
  });
});

describe("art. 384-bis co. 2-bis: the PM's decree, issued and executed", () => {
  it("follows the earlier deadline when the decree's issue and execution differ, and explains both", async () => {
    const ref = newRef();
    // Issued Friday 27 March 2026 at 18:00 CET; 48 elapsed hours cross the change to summer time: 19:00 CEST on 29 March.
    // From the execution (28 March, 10:00 CET) they would end on 30 March at 11:00 CEST.
    const start = await hook(ref, "removal.executed", "2026-03-28T10:00:00+01:00", { jurisdiction: "TO", issuedAt: "2026-03-27T18:00:00+01:00" });
    expect(start.status).toBe(201);
    expect(stages(start)).toEqual([["validation-request", "open", "2026-03-29T19:00:00+02:00", "procura-torino"]]);
    const read = await fetchWith({}, casePath(ref), { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    const why = ((await read.json()) as { timelines: { deadlines: { why: { steps: { rule: string; citation: string; text: string }[] } }[] }[] }).timelines[0]!.deadlines[0]!.why;
    expect(why.steps[0]).toEqual({
      rule: "two-starts", citation: "art. 384-bis co. 2-bis c.p.p. (punto da verificare)",
      text: "Non è verificato sul testo ufficiale se le 48 ore decorrano dall'emissione del decreto o dalla sua esecuzione: " +
        "dall'emissione del decreto (27/03/2026 alle 18:00) il termine scade il 29/03/2026 alle 19:00, " +
        "dall'esecuzione (28/03/2026 alle 10:00) il 30/03/2026 alle 11:00; promemoria e segnalazioni seguono la scadenza più vicina, il 29/03/2026 alle 19:00 (ora italiana)",
    });
    const view = await hook(ref, "validation.requested", "2026-03-29T12:00:00+02:00");
    expect(view.body.deadlines).toMatchObject([
      { stage: "validation-request", status: "met" }, { stage: "validation-hearing", dueAt: "2026-03-31T12:00:00+02:00" },
      { stage: "validation-decision", dueAt: "2026-03-31T12:00:00+02:00" },
    ]);
  });

  it("refuses an issue after the execution, naming the field", async () => {
    const res = await hook(newRef(), "removal.executed", "2026-03-28T10:00:00+01:00", { jurisdiction: "TO", issuedAt: "2026-03-28T11:00:00+01:00" });
    expect([res.status, res.body.code, res.body.parameter]).toEqual([422, "invalid_body", "data.issuedAt"]);
  });
});
