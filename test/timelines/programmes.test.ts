/**
 * Recovery programmes: weekly attendance windows back to back, attested by
 * the CUAV; a week short of attestations sends an anomaly to the authority
 * on the next working day; intake, anomalies, the outcome and an early end
 * reach the authority at once.
 */
import { env } from "cloudflare:workers";
import { and, asc, eq, like } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deadlines, notifications } from "../../src/db/schema.js";
import { sweep } from "../../src/workflows/sweep.js";
import { db, idleWorkflows, newRef, record, recordWith } from "../backbone/helpers.js";

let spy: Awaited<ReturnType<typeof idleWorkflows>>;
beforeEach(async () => { spy = await idleWorkflows(); });
afterEach(async () => { await spy.dispose(); });

/** Bills run here as a deployment that enabled them would. */
const post = (ref: string, type: string, occurredAt: string, data: Record<string, unknown> = {}) =>
  recordWith({ ENABLED_BILLS: "all" }, ref, type, occurredAt, data);

const windows = async (instanceId: string) =>
  db().select().from(deadlines).where(and(eq(deadlines.instanceId, instanceId), eq(deadlines.stage, "attendance"))).orderBy(asc(deadlines.seq)).all();
const sent = async (instanceId: string) =>
  (await db().select().from(notifications).where(and(eq(notifications.instanceId, instanceId), eq(notifications.status, "sent"))).all())
    .filter((n) => n.kind !== "roll").map((n) => [n.rung.replace(/\.[0-9a-f]{8}\./, "."), n.officeId]);

describe("programme after an ammonimento (bill): weekly attendance", () => {
  it("tells the Questore of the intake, meets a week with one attestation, and reports a week without on the next working day", async () => {
    const ref = newRef();
    // Monday 2 March 2026, 10:00: weeks run Monday 10:00 to Monday 10:00.
    const start = await post(ref, "programme.started-ammonimento", "2026-03-02T10:00:00+01:00", { jurisdiction: "TO" });
    expect(start.status).toBe(201);
    const id = start.body.timelines[0]!.instanceId;
    expect(start.body.deadlines.map((d) => [d.id.slice(id.length + 1), d.status])).toEqual([
      ["attendance", "open"], ["minimum-duration", "informational"],
    ]);
    const attended = await post(ref, "programme.attendance", "2026-03-04T17:00:00+01:00");
    expect(attended.body.deadlines).toMatchObject([{ id: `${id}.attendance`, status: "met" }]);

    // Week 2 (9–16 March) passes without an attestation; the anomaly goes out Tuesday 17 March at 08:00.
    await sweep(env, Date.parse("2026-03-09T10:00:01+01:00"));
    await sweep(env, Date.parse("2026-03-16T10:00:01+01:00"));
    await sweep(env, Date.parse("2026-03-17T08:00:00+01:00"));
    const w = await windows(id);
    expect(w.map((x) => [x.seq, x.status, x.dueAt])).toEqual([
      [1, "met", "2026-03-09T10:00:00+01:00"],
      // The week short of attestations lapses when it ends; its anomaly still goes out.
      [2, "late", "2026-03-16T10:00:00+01:00"],
      [3, "open", "2026-03-23T10:00:00+01:00"],
    ]);
    expect(await sent(id)).toEqual([["anomaly-questura", "questura-torino"]]);

    // A negative outcome ends the programme and reaches the Questore; no further weeks open.
    const ended = await post(ref, "programme.ended", "2026-03-18T12:00:00+01:00", { outcome: "negative" });
    expect(ended.body.timelines).toMatchObject([{ status: "closed" }]);
    // Notices go out at once (here: the sweep at the real now, as the workflow would).
    await sweep(env, Date.now());
    const texts = await db().select().from(notifications).where(and(eq(notifications.instanceId, id), like(notifications.rung, "event.%"))).all();
    expect(texts.every((n) => n.status === "sent" && n.officeId === "questura-torino")).toBe(true);
    expect(texts.map((n) => (n.detail as { text: string }).text)).toEqual(expect.arrayContaining([
      "Il CUAV ha comunicato la presa in carico: il programma è iniziato. Le attestazioni di frequenza sono attese almeno una volta a settimana.",
      "Esito negativo o attestazioni mancanti: il Questore valuta la proposta di sorveglianza speciale.",
    ]));
    await sweep(env, Date.parse("2026-03-23T10:00:01+01:00"));
    expect((await windows(id)).length).toBe(3);
  });

  it("refuses an outcome that is not one of the enumerated values", async () => {
    const ref = newRef();
    await post(ref, "programme.started-ammonimento", "2026-03-02T10:00:00+01:00", { jurisdiction: "TO" });
    const res = await post(ref, "programme.ended", "2026-03-03T10:00:00+01:00", { outcome: "so-so" });
    expect(res.status).toBe(422);
  });
});

describe("programme with a suspended sentence (art. 165 c.p.): twice a week", () => {
  it("needs two attestations in a week, reports a short week to the UEPE and the PM, and escalates a negative outcome to both", async () => {
    const ref = newRef();
    const judged = await record(ref, "sentence.irrevocable", "2026-02-16T10:00:00+01:00", { jurisdiction: "TO", dueDate: "2026-03-16", durationMonths: "9" });
    const id = judged.body.timelines[0]!.instanceId;
    await record(ref, "programme.started-suspended-sentence", "2026-03-02T10:00:00+01:00");
    const one = await record(ref, "programme.attendance", "2026-03-03T10:00:00+01:00");
    expect(one.body.deadlines).toEqual([]);
    await sweep(env, Date.parse("2026-03-10T08:00:00+01:00"));
    expect((await sent(id)).filter(([r]) => r!.startsWith("anomaly"))).toEqual([["anomaly-uepe", "uepe-torino"], ["anomaly-procura", "procura-torino"]]);
    // Week 2: two attestations meet it.
    await record(ref, "programme.attendance", "2026-03-10T10:00:00+01:00");
    const two = await record(ref, "programme.attendance", "2026-03-12T10:00:00+01:00");
    expect(two.body.deadlines).toMatchObject([{ id: `${id}.attendance.2`, status: "met" }]);
    await record(ref, "programme.ended", "2026-03-13T10:00:00+01:00", { outcome: "negative" });
    const outcome = await db().select().from(notifications).where(and(eq(notifications.instanceId, id), like(notifications.rung, "event.%"))).all();
    expect(outcome.filter((n) => (n.detail as { text: string }).text.startsWith("Esito negativo")).map((n) => n.officeId).sort()).toEqual(["procura-torino", "uepe-torino"]);
  });
});

describe("programme during precautionary measures (bill)", () => {
  it("forwards an anomaly at once, and ends early when the measure ceases, telling the judge", async () => {
    const ref = newRef();
    const start = await post(ref, "programme.started-precautionary", "2026-03-02T10:00:00+01:00", { jurisdiction: "TO" });
    const id = start.body.timelines[0]!.instanceId;
    await post(ref, "programme.anomaly", "2026-03-04T10:00:00+01:00", { kind: "absence" });
    const ceased = await post(ref, "measures.ceased", "2026-03-05T10:00:00+01:00");
    expect(ceased.body.timelines).toMatchObject([{ status: "closed" }]);
    await sweep(env, Date.now());
    const texts = (await db().select().from(notifications).where(and(eq(notifications.instanceId, id), like(notifications.rung, "event.%"))).all())
      .filter((n) => n.status === "sent").map((n) => [(n.detail as { text: string }).text.slice(0, 40), n.officeId]);
    expect(texts).toEqual(expect.arrayContaining([
      ["Il CUAV segnala un'anomalia nella partec", "gip-torino"],
      ["La misura cautelare è cessata o è stata ", "gip-torino"],
    ]));
  });
});
