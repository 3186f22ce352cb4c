/**
 * A stage means what the law means: what its expiry does (a removal "diviene
 * inefficace"), whether its date is a term or a minimum length, and what
 * closes it. Each case is written from the text it quotes, not from the code.
 */
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deadlines, events, notifications, outbox, timelineInstances } from "../../src/db/schema.js";
import { sweep } from "../../src/workflows/sweep.js";
import { ADMIN_TOKEN, type Recorded, casePath, db, fetchWith, newRef, postWebhook, record, senderFor } from "../backbone/helpers.js";
import { stageTerm } from "../../src/timelines/stage-term.js";
import { getTimeline } from "../../src/timelines/catalog.js";
import { pageText, sessionForFile } from "../web/browser.js";

const session = sessionForFile();
const page = async (ref: string, owner = "procura-torino") => pageText(await (await session.browser().go(`/cases/${encodeURIComponent(ref)}?ufficio=${owner}`)).text());
const deadlineOf = (id: string) => db().select().from(deadlines).where(eq(deadlines.id, id)).get();
/** An event from a system: the Questura's (secret given) or the district's. */
async function hook(ref: string, type: string, occurredAt: string, data: Record<string, unknown> = {}, secret?: string): Promise<Recorded> {
  const res = await postWebhook({ type, caseRef: ref, occurredAt, data }, secret === undefined ? {} : { secret });
  return { status: res.status, body: (await res.json()) as Recorded["body"] };
}
const HOUR = 3_600_000;
/** An instant `ms` from now, as an event's occurredAt (the page reads the real clock). */
const at = (ms: number) => new Date(Date.now() + ms).toISOString();
const mailsAbout = async (ref: string) => (await db().select().from(outbox).all()).filter((m) => m.text.includes(ref));

describe("art. 384-bis co. 2-bis: without the request for validation in 48 hours the removal «diviene inefficace»", () => {
  it("records the lapse at the instant the term ended, shows it, stops offering the request and says so in the escalation", async () => {
    const ref = newRef();
    // Executed an hour ago: the 48 hours end 47 hours from now.
    const start = await record(ref, "removal.executed", at(-HOUR), { jurisdiction: "TO" });
    const instanceId = start.body.timelines[0]!.instanceId;
    const due = start.body.deadlines[0]!;
    expect(Date.parse(due.dueAt) - Date.parse(at(-HOUR))).toBeGreaterThan(48 * HOUR - 2000);
    const before = await page(ref);
    expect(before).toContain("Registra la richiesta di convalida");
    expect(before).toContain("Conseguenza della scadenza: Se la richiesta di convalida non è presentata entro 48 ore, l'allontanamento diviene inefficace. Fonte: art. 384-bis co. 2-bis c.p.p.");

    // The cron runs a minute after the term ended.
    await sweep(env, Date.parse(due.dueAt) + 60_000);
    const lapsed = await deadlineOf(`${instanceId}.validation-request`);
    expect(lapsed).toMatchObject({ status: "lapsed", outcome: "allontanamento divenuto inefficace", closedAtMs: Date.parse(due.dueAt) });
    const event = await db().select().from(events).where(eq(events.idempotencyKey, `lapse:${instanceId}.validation-request`)).get();
    expect(event).toMatchObject({ type: "stage.lapsed", occurredAt: due.dueAt, source: "system:termini" });
    expect((await db().select().from(timelineInstances).where(eq(timelineInstances.id, instanceId)).get())!.status).toBe("closed");
    // Reminders stop; the escalation went out, and says what has happened.
    const rows = await db().select().from(notifications).where(eq(notifications.deadlineId, `${instanceId}.validation-request`)).all();
    expect(rows.find((n) => n.rung === "escalation-1")!.status).toBe("sent");
    const [mail] = await mailsAbout(ref);
    expect(mail!.text).toContain("Effetto di legge: allontanamento divenuto inefficace. Fonte: art. 384-bis co. 2-bis c.p.p., introdotto dall'art. 11 L. 168/2023.");
    expect(mail!.text).toContain("Gli atti di questa fase non sono più possibili");

    // The page is read as the time after the term would see it: nothing to record on this stage.
    const after = await page(ref);
    expect(after).toContain("Termine scaduto senza l'atto: allontanamento divenuto inefficace");
    expect(after).not.toContain("Registra la richiesta di convalida");
    // The request was in fact filed in time, and recorded late: the lapse is cancelled, the act recorded with its date.
    const cancelled = await record(ref, "event.cancelled", at(0), { eventId: event!.id });
    expect([cancelled.status, (cancelled.body as { detail?: string }).detail]).toEqual([201, undefined]);
    const filed = await record(ref, "validation.requested", at(-HOUR / 2));
    expect(filed.status).toBe(201);
    expect(filed.body.deadlines.map((d) => [d.stage, d.status])).toEqual([
      ["validation-request", "met"], ["validation-hearing", "open"], ["validation-decision", "open"],
    ]);
  });

  it("refuses the request after the 48 hours even before the cron has recorded the lapse", async () => {
    const ref = newRef();
    await record(ref, "removal.executed", "2026-11-02T10:00:00+01:00", { jurisdiction: "TO" });
    const late = await record(ref, "validation.requested", "2026-11-04T10:00:01+01:00");
    expect([late.status, late.body.code]).toEqual([409, "stage_lapsed"]);
    const onTime = await record(ref, "validation.requested", "2026-11-04T10:00:00+01:00");
    expect(onTime.status).toBe(201);
  });
});

describe("the validation hearing: «fissa l'udienza di convalida al più presto e comunque entro le quarantotto ore successive» (art. 390 co. 2 c.p.p.)", () => {
  it("flags a hearing fixed for a date outside the window the moment it is recorded, to the GIP and the office above", async () => {
    const ref = newRef();
    const questura = await senderFor("questura-torino-sistema", ["questura-torino"]);
    expect((await hook(ref, "removal.police-executed", "2026-11-09T21:00:00+01:00", { jurisdiction: "TO" }, questura)).status).toBe(201);
    await hook(ref, "removal.record-sent", "2026-11-10T08:00:00+01:00", {}, questura);
    const requested = await hook(ref, "removal.validation-requested", "2026-11-10T12:00:00+01:00");
    const hearing = requested.body.deadlines.find((d) => d.stage === "validation-hearing")!;
    expect(hearing.dueAt).toBe("2026-11-12T12:00:00+01:00");
    // Fixed on the 10th, in time, for the 13th: outside the 48 hours.
    const fixed = await hook(ref, "removal.hearing-fixed", "2026-11-10T15:00:00+01:00", { hearingAt: "2026-11-13T09:30:00+01:00" });
    expect([fixed.status, fixed.body.code, (fixed.body as { detail?: string }).detail]).toEqual([201, undefined, undefined]);
    const warned = fixed.body.deadlines as { stage: string; status: string; warning?: string }[];
    expect(warned).toMatchObject([{ stage: "validation-hearing", status: "open" }]);
    expect(warned[0]!.warning).toContain("fissata per il 13/11/2026 alle 09:30, oltre il termine che scade il 12/11/2026 alle 12:00");
    const told = await db().select().from(notifications).where(and(eq(notifications.deadlineId, hearing.id), eq(notifications.kind, "notice"))).all();
    expect(told.map((n) => n.officeId).sort()).toEqual(["gip-presidente-torino", "gip-torino"]);
    // A date inside the window says nothing more.
    const refixed = await hook(ref, "removal.hearing-fixed", "2026-11-10T16:00:00+01:00", { hearingAt: "2026-11-12T09:00:00+01:00" });
    expect((refixed.body.deadlines as { warning?: string }[])[0]!.warning).toBeUndefined();
    // The date is required.
    const bare = await hook(ref, "removal.hearing-fixed", "2026-11-10T16:30:00+01:00");
    expect([bare.status, bare.body.parameter]).toEqual([422, "data.hearingAt"]);
    // The hearing held closes the hearing; the decision is its own stage.
    const held = await hook(ref, "removal.hearing-held", "2026-11-12T09:00:00+01:00");
    expect(held.body.deadlines).toMatchObject([{ stage: "validation-hearing", status: "met" }]);
    const decided = await hook(ref, "removal.validation-decided", "2026-11-12T11:00:00+01:00");
    expect(decided.body.deadlines).toMatchObject([{ stage: "validation-decision", status: "met" }]);
    expect(decided.body.timelines).toMatchObject([{ status: "closed" }]);
  });
});

describe("«per un periodo non inferiore a otto mesi» (2020 bill, art. 2): a minimum length, not a term", () => {
  it("completes eight months after the intake on the calendar, unmoved by Christmas", () => {
    const stage = getTimeline("programme-ammonimento")!.stages.find((s) => s.id === "minimum-duration")!;
    const complete = (intake: string) => { const t = stageTerm(stage, Date.parse(intake), {}, "IT-TO"); return t.ok ? t.term.dueDate : t.failure.reason; };
    // Intake Monday 24 April 2028: eight months complete on Sunday 24 December 2028 (a term would move to Wednesday 27).
    expect(complete("2028-04-24T10:00:00+02:00")).toBe("2028-12-24");
    // Intake Saturday 25 April 2026: complete on Christmas Day 2026, not moved to Monday 28.
    expect(complete("2026-04-25T10:00:00+02:00")).toBe("2026-12-25");
  });
});

describe("«si riunisce in plenaria una volta all'anno» (Turin protocol): once per calendar year", () => {
  it("takes two plenaries in 2026 as 2026's, and none in 2027 as 2027 missed", async () => {
    const ref = newRef();
    const start = await record(ref, "protocol.approved", "2026-01-10T10:00:00+01:00", { jurisdiction: "TO" });
    const id = start.body.timelines[0]!.instanceId;
    // The year 2026, to its last day (10 January 2027 being a Sunday changes nothing).
    expect(start.body.deadlines.find((d) => d.stage === "plenary")).toMatchObject({ dueDate: "2026-12-31" });
    await record(ref, "protocol.plenary-held", "2026-03-10T10:00:00+01:00");
    await record(ref, "protocol.plenary-held", "2026-11-10T10:00:00+01:00");
    await sweep(env, Date.parse("2027-01-01T00:05:00+01:00"));
    await sweep(env, Date.parse("2028-01-01T00:05:00+01:00"));
    const periods = await db().select().from(deadlines).where(and(eq(deadlines.instanceId, id), eq(deadlines.stage, "plenary"))).all();
    expect(periods.sort((a, b) => a.seq - b.seq).map((d) => [d.dueDate, d.status, d.outcome])).toEqual([
      ["2026-12-31", "met", "plenaria tenuta nell'anno"],
      ["2027-12-31", "late", "nessuna plenaria nell'anno"],
      ["2028-12-31", "open", null],
    ]);
  });
});

describe("the catalogue says what each date is and what missing it means", () => {
  it("gives every stage a date kind and a consequence with its citation, in /api/v1/timelines", async () => {
    const res = await fetchWith({}, "/api/v1/timelines", { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    type Stage = { id: string; date: string; consequence: { kind: string; text: string; citation: string; unverified: boolean } };
    const all = ((await res.json()) as { timelines: { id: string; stages: Stage[] }[] }).timelines;
    for (const t of all) for (const s of t.stages) expect([t.id, s.id, s.consequence.citation.length > 5, s.consequence.text.length > 10]).toEqual([t.id, s.id, true, true]);
    const stage = (t: string, s: string) => all.find((x) => x.id === t)!.stages.find((x) => x.id === s)!;
    // Art. 362-bis sets terms without a sanction: «scaduto» is not «nullo».
    expect(stage("362-bis", "pm-assessment").consequence.kind).toBe("none");
    expect(stage("362-1-ter", "victim-hearing").consequence.kind).toBe("none");
    expect(stage("384-bis", "validation-request").consequence.kind).toBe("lapse");
    // Art. 391 co. 7: «cessa di avere efficacia»; for the PM's removal, to verify on the official text.
    expect(stage("384-bis-police", "validation-decision").consequence).toMatchObject({ kind: "lapse", unverified: false });
    expect(stage("384-bis", "validation-decision").consequence).toMatchObject({ kind: "lapse", unverified: true });
    expect(stage("382-bis", "deferred-arrest").consequence.kind).toBe("preclusion");
    expect(stage("register-application", "decision").consequence.kind).toBe("refusal");
    expect(stage("indemnity-claim", "claim").consequence).toMatchObject({ kind: "forfeiture", unverified: true });
    expect([stage("programme-ammonimento", "minimum-duration").date, stage("ammonimento-revocation", "earliest-revocation").date]).toEqual(["length", "earliest"]);
  });

  it("shows the case's stages with what missing them means in the staff API", async () => {
    const ref = newRef();
    await record(ref, "suspect.registered", "2026-11-02T10:00:00+01:00", { jurisdiction: "TO" });
    const res = await fetchWith({}, casePath(ref), { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    const d = ((await res.json()) as { timelines: { deadlines: { date: string; lapsed: boolean; consequence: { kind: string; label: string } }[] }[] }).timelines[0]!.deadlines[0]!;
    expect(d).toMatchObject({ date: "term", lapsed: false, consequence: { kind: "none", label: "nessuna sanzione sull'atto (termine ordinatorio)" } });
  });
});

describe("the indemnity claim: «dalla decisione che ha definito il giudizio per essere ignoto l'autore del reato o dall'ultimo atto dell'azione esecutiva infruttuosamente esperita ovvero dalla data del passaggio in giudicato della sentenza penale» (art. 13 co. 2 L. 122/2016)", () => {
  type Why = { steps: { rule: string; text: string }[] };
  const why = async (ref: string) => {
    const res = await fetchWith({}, casePath(ref), { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    return ((await res.json()) as { timelines: { deadlines: { dueDate: string; why: Why }[] }[] }).timelines[0]!.deadlines[0]!;
  };

  it("names the start it runs from, and moves to the last failed enforcement act with the reason, told and audited", async () => {
    const ref = newRef();
    const start = await record(ref, "decision.final", "2026-01-15T12:00:00+01:00", { jurisdiction: "TO", ground: "judgment" });
    expect(start.body.deadlines).toMatchObject([{ stage: "claim", dueDate: "2026-05-15" }]);
    expect((await why(ref)).why.steps[0]).toEqual({ rule: "start", citation: "art. 13 co. 2 L. 122/2016", text: "Il termine decorre dal passaggio in giudicato della sentenza penale" });
    // Enforcement against the offender tried and failed; its last act on 20 April 2026: 120 days from it, 18 August 2026.
    const failed = await record(ref, "enforcement.failed", "2026-04-20T10:00:00+02:00");
    expect(failed.status).toBe(201);
    expect(failed.body.deadlines).toMatchObject([{ stage: "claim", status: "open", dueDate: "2026-08-18" }]);
    const after = await why(ref);
    expect(after.dueDate).toBe("2026-08-18");
    expect(after.why.steps[0]!.text).toBe("Il termine decorre dall'ultimo atto dell'azione esecutiva infruttuosamente esperita");
    const told = await db().select().from(notifications).where(and(eq(notifications.kind, "notice"), eq(notifications.deadlineId, start.body.deadlines[0]!.id))).all();
    expect(told.map((n) => n.detail)).toEqual([{ notice: "date-changed", previousDueAt: "2026-05-15T23:59:59+02:00", reason: "il termine decorre ora dall'ultimo atto dell'azione esecutiva infruttuosamente esperita" }]);
    // A start earlier than the one the term runs from now is refused.
    const earlier = await record(ref, "enforcement.failed", "2026-01-10T10:00:00+01:00");
    expect([earlier.status, earlier.body.parameter]).toEqual([422, "occurredAt"]);
  });

  it("runs from the decision that closed the case for an unknown author", async () => {
    const ref = newRef();
    await record(ref, "decision.final", "2026-01-15T12:00:00+01:00", { jurisdiction: "TO", ground: "author-unknown" });
    expect((await why(ref)).why.steps[0]!.text).toBe("Il termine decorre dalla decisione che ha definito il giudizio per essere ignoto l'autore del reato");
  });
});

describe("the definition type keeps terms, lengths and earliest dates apart", () => {
  it("refuses a minimum length counted as a term, and an earliest date that is reminded", async () => {
    const { loadTimeline } = await import("../../src/timelines/sources.js");
    const { PROGRAMME_AMMONIMENTO } = await import("../../src/timelines/programmes.js");
    const { AMMONIMENTO_REVOCATION } = await import("../../src/timelines/administrative.js");
    const moved = { ...PROGRAMME_AMMONIMENTO, stages: PROGRAMME_AMMONIMENTO.stages.map((s) =>
      s.id === "minimum-duration" ? { ...s, term: { amount: 8, unit: "months" as const, regime: "administrative" as const, feriale: "ignore" as const } } : s) };
    expect(() => loadTimeline(moved)).toThrow(/a length is never moved for holidays/);
    const reminded = { ...AMMONIMENTO_REVOCATION, stages: AMMONIMENTO_REVOCATION.stages.map((s) => ({ ...s, informational: false })) };
    expect(() => loadTimeline(reminded)).toThrow(/informational exactly when/);
  });
});

describe("art. 165 co. 5 c.p.: the judgment sets «il termine di inizio del percorso da far decorrere dalla data di irrevocabilità» and «la durata del percorso» (Cass. sez. VI n. 40888/2024)", () => {
  it("starts at the irrevocable judgment, tells the UEPE and the PM when the start term passes, and counts the duration from the intake", async () => {
    const ref = newRef();
    // Irrevocable on 2 November 2026; the judgment: start within 30 days (by 2 December), eight months.
    const judged = await record(ref, "sentence.irrevocable", "2026-11-02T10:00:00+01:00", { jurisdiction: "TO", dueDate: "2026-12-02", durationMonths: "8" });
    expect(judged.status).toBe(201);
    const id = judged.body.timelines[0]!.instanceId;
    expect(judged.body.deadlines).toMatchObject([{ stage: "programme-start", office: "cuav-torino", dueDate: "2026-12-02" }]);
    // No intake by then: on the next working day the UEPE and the PM are told.
    await sweep(env, Date.parse("2026-12-03T08:05:00+01:00"));
    const told = await db().select().from(notifications).where(and(eq(notifications.deadlineId, `${id}.programme-start`), eq(notifications.kind, "escalation"))).all();
    expect(told.map((n) => [n.officeId, n.status]).sort()).toEqual([["procura-torino", "sent"], ["uepe-torino", "sent"]]);
    // The intake is an event of its own: late for the start, and it opens the weeks and the duration.
    const intake = await record(ref, "programme.started-suspended-sentence", "2026-12-04T10:00:00+01:00");
    expect(intake.body.deadlines.map((d) => [d.stage, d.status, d.dueDate])).toEqual([
      ["programme-start", "late", "2026-12-02"], ["attendance", "open", null], ["programme-duration", "informational", "2027-08-04"],
    ]);
    // A week without its two attestations reads as such on the case page, not as an act done late.
    await sweep(env, Date.parse("2026-12-11T10:05:00+01:00"));
    const text = await page(ref, "cuav-torino");
    expect(text).toContain("Scadenza: Frequenza del programma (almeno 2 volte a settimana) attestazioni insufficienti");
    expect(text).not.toContain("Scadenza: Frequenza del programma (almeno 2 volte a settimana) oltre il termine");
  });

  it("refuses a judgment that does not say the start term or the duration", async () => {
    const noDuration = await record(newRef(), "sentence.irrevocable", "2026-11-02T10:00:00+01:00", { jurisdiction: "TO", dueDate: "2026-12-02" });
    expect([noDuration.status, noDuration.body.parameter]).toEqual([422, "data.durationMonths"]);
    const noStart = await record(newRef(), "sentence.irrevocable", "2026-11-02T10:00:00+01:00", { jurisdiction: "TO", durationMonths: "8" });
    expect([noStart.status, noStart.body.parameter]).toEqual([422, "data.dueDate"]);
  });
});

describe("a lapse not verified on the official text is said, never acted on", () => {
  it("records a late decision on the PM's removal (art. 384-bis co. 2-bis: whether art. 391 co. 7 applies is to verify) and plans no lapse", async () => {
    const ref = newRef();
    await record(ref, "removal.executed", "2026-11-02T10:00:00+01:00", { jurisdiction: "TO" });
    const requested = await record(ref, "validation.requested", "2026-11-03T10:00:00+01:00");
    const decision = requested.body.deadlines.find((d) => d.stage === "validation-decision")!;
    const rows = await db().select().from(notifications).where(eq(notifications.deadlineId, decision.id)).all();
    expect(rows.some((n) => n.kind === "lapse")).toBe(false);
    await record(ref, "validation.hearing-held", "2026-11-04T09:00:00+01:00");
    const late = await record(ref, "validation.decided", "2026-11-05T12:00:00+01:00");
    expect(late.status).toBe(201);
    expect(late.body.deadlines).toMatchObject([{ stage: "validation-decision", status: "late" }]);
  });
});

describe("the outbound payloads say what missing the stage means", () => {
  it("carries the date kind and the consequence in every deadline event, valid against the published schema", async () => {
    const { deadlineData } = await import("../../src/domain/subscriptions/outbound.js");
    const { OUTBOUND_DATA } = await import("../../src/outbound/events.js");
    const c = { id: "c", ref: "977966/2026", owner: "procura-torino", offices: ["procura-torino"] };
    const d = { id: "i.validation-request", instanceId: "i", stage: "validation-request", officeId: "procura-torino", dueAt: "2026-11-04T10:00:00+01:00", dueDate: null, status: "lapsed" as const };
    const body = { ...deadlineData("https://termini.example", c, { id: "384-bis", version: 2 }, d), outcome: "allontanamento divenuto inefficace" };
    expect(body.deadline).toMatchObject({ status: "lapsed", date: "term", consequence: { kind: "lapse", effect: "allontanamento divenuto inefficace", unverified: false } });
    expect(OUTBOUND_DATA["deadline.closed"].safeParse(body).success).toBe(true);
  });
});
