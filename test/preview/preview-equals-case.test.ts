/**
 * The preview is the case's own computation: for random event sequences on
 * every timeline, POST /api/v1/deadlines/preview gives the deadlines (stage,
 * period, due date and instant, status) that a real case fed the same
 * events gives — through applyEvent on D1, with the periods rolled by the
 * real sweep — and refuses the same event with the same code.
 * A budget in runs (seeded, reproducible), never in time.
 */
import { env } from "cloudflare:workers";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "../../src/auth/principal.js";
import { deadlines, offices } from "../../src/db/schema.js";
import { applyEvent } from "../../src/domain/events/apply-event.js";
import { DomainFailure } from "../../src/domain/failure.js";
import { eventFields, latest } from "../../src/timelines/catalog.js";
import type { TimelineDefinition } from "../../src/timelines/definition.js";
import { sweep } from "../../src/workflows/sweep.js";
import { wakeAll } from "../../src/workflows/wake.js";
import { api, db, idleWorkflows, newRef, runsHere } from "../backbone/helpers.js";

// The edit–run loop (npm run test:unit) tries the first sequence of each timeline; npm test all four.
const RUNS_PER_TIMELINE = runsHere(4);
const ADMIN: Principal = { id: "credential:property-test", role: "admin", offices: new Set() };
const DAY = 86_400_000;

/** mulberry32: a seeded generator, so that a failure names a run that can be replayed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

/** Every event a running instance of the timeline reacts to, amendments included. */
function eventsOf(def: TimelineDefinition): string[] {
  const types = new Set<string>();
  for (const s of def.stages) {
    for (const t of Object.keys(s.closesOn)) types.add(t);
    if (s.startsOn !== def.trigger) types.add(s.startsOn);
    if (s.quota) types.add(s.quota.event);
    if (s.suspension) types.add(s.suspension.on).add(s.suspension.off);
  }
  for (const t of Object.keys(def.endsOn)) types.add(t);
  for (const n of def.notices) if (n.on !== def.trigger) types.add(n.on);
  return [...types, "event.corrected", "event.cancelled"];
}

type Ev = { type: string; occurredAt: string; at: number; data: Record<string, unknown> };

function sequence(def: TimelineDefinition, seed: number): Ev[] {
  const r = rng(seed);
  const iso = (ms: number) => new Date(ms).toISOString();
  const fields = (type: string) => Object.fromEntries(Object.entries(eventFields(type)).map(([k, v]) => [k, r.pick(v)]));
  let at = Date.UTC(2024, 0, 1) + r.int(0, 540) * DAY + r.int(0, 23) * 3_600_000;
  const trigger: Ev = { type: def.trigger, occurredAt: iso(at), at, data: { ...fields(def.trigger), jurisdiction: "TO" } };
  if (def.stages.some((s) => "given" in s.term)) trigger.data.dueDate = iso(at + r.int(10, 90) * DAY).slice(0, 10);
  const out = [trigger];
  const candidates = eventsOf(def);
  for (let n = r.int(0, 6); n > 0; n--) {
    // Mostly days apart, sometimes the same hour: attendance within a week, closings after a term.
    at += r.pick([r.int(1, 180) * 60_000, r.int(1, 72) * 3_600_000, r.int(1, 40) * DAY]);
    const type = r.pick(candidates);
    const target = r.int(0, out.length - 1);
    if (type === "event.corrected") {
      const moved = Math.min(out[target]!.at + r.int(-72, 72) * 3_600_000, at);
      out.push({ type, occurredAt: iso(at), at, data: { eventId: target, occurredAt: iso(moved) } });
    } else if (type === "event.cancelled") {
      out.push({ type, occurredAt: iso(at), at, data: { eventId: target } });
    } else {
      out.push({ type, occurredAt: iso(at), at, data: fields(type) });
    }
  }
  return out;
}

type Row = { stage: string; seq: number; dueAt: string; dueDate: string | null; status: string };
/** The deadlines the accepted events left, and the refusal that stopped the sequence, if any. */
type Outcome = { refused?: { index: number; code: string }; deadlines: Row[] };

/** Rolls what the cron would have rolled by `at` (a period's end opens the next). */
async function sweepUntilQuiet(at: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const c = await sweep(env, at);
    if (c.sent + c.cancelled + c.superseded + c.retrying === 0) return;
  }
}

async function realCase(def: TimelineDefinition, evs: Ev[]): Promise<Outcome> {
  const ref = newRef();
  const ids: string[] = [];
  const instances = new Set<string>();
  let refused: Outcome["refused"];
  for (const [i, e] of evs.entries()) {
    await sweepUntilQuiet(e.at);
    const data = { ...e.data };
    if (typeof data.eventId === "number") data.eventId = ids[data.eventId] ?? "00000000-0000-4000-8000-000000000000";
    try {
      const { result, wake } = await applyEvent(db(), ADMIN, { type: e.type, caseRef: ref, occurredAt: e.occurredAt, data }, {
        idempotencyKey: crypto.randomUUID(), now: Date.now(), requestId: null, billEnabled: (id) => id === def.id,
        obligation: def.schedule !== undefined,
      });
      // As the webhook and the staff API do: the instance's workflow (held idle) is started.
      await wakeAll(env, db(), wake, Date.now());
      ids.push(result.event.id);
      for (const t of result.timelines) if (t.timeline === def.id) instances.add(t.instanceId);
    } catch (err) {
      if (!(err instanceof DomainFailure)) throw err;
      refused = { index: i, code: err.code };
      break;
    }
  }
  // The case as of the refused event (the sweep ran up to it), or of the last one.
  await sweepUntilQuiet(evs[refused?.index ?? evs.length - 1]!.at);
  const rows = instances.size === 0 ? [] : await db().select().from(deadlines).where(inArray(deadlines.instanceId, [...instances])).all();
  const out: Outcome = { deadlines: sorted(def, rows.map((d) => ({ ...d, startedMs: d.startedAtMs }))) };
  return refused === undefined ? out : { ...out, refused };
}

function sorted(def: TimelineDefinition, rows: (Row & { startedMs: number })[]): Row[] {
  const order = (s: string) => def.stages.findIndex((x) => x.id === s);
  return rows
    .sort((a, b) => a.startedMs - b.startedMs || order(a.stage) - order(b.stage) || a.seq - b.seq)
    .map(({ stage, seq, dueAt, dueDate, status }) => ({ stage, seq, dueAt, dueDate, status }));
}

/** The preview of the whole sequence; on a refusal, also of the events before it (what the case kept). */
async function previewed(def: TimelineDefinition, evs: Ev[]): Promise<Outcome> {
  const whole = await previewOnce(def, evs);
  if (whole.refused === undefined) return whole;
  const i = whole.refused.index;
  const kept = i > 0 ? await previewOnce(def, evs.slice(0, i), evs[i]!.occurredAt) : { deadlines: [] };
  return { deadlines: kept.deadlines, refused: whole.refused };
}

async function previewOnce(def: TimelineDefinition, evs: Ev[], until?: string): Promise<Outcome> {
  const res = await api("POST", "/api/v1/deadlines/preview", {
    token: null,
    body: { timeline: def.id, version: def.version, calendar: "IT-TO", events: evs.map(({ type, occurredAt, data }) => ({ type, occurredAt, data })), ...(until ? { until } : {}) },
  });
  const body = (await res.json()) as { code?: string; parameter?: string; deadlines: (Row & { startedAt: string })[] };
  if (res.status !== 200) return { deadlines: [], refused: { index: Number(/^events\.(\d+)/.exec(body.parameter ?? "")?.[1] ?? -1), code: body.code! } };
  return { deadlines: sorted(def, body.deadlines.map((d) => ({ ...d, startedMs: Date.parse(d.startedAt) }))) };
}

let spy: Awaited<ReturnType<typeof idleWorkflows>>;
beforeAll(async () => {
  spy = await idleWorkflows();
  // The demo directory lacks a Turin office of a few kinds: placeholders, so that every timeline can start.
  const have = new Set((await db().select({ kind: offices.kind }).from(offices).where(eq(offices.jurisdiction, "TO")).all()).map((o) => o.kind));
  for (const kind of new Set(latest().flatMap((t) => Object.values(t.roles)))) {
    if (have.has(kind)) continue;
    await db().insert(offices).values({
      id: `prova-${kind}-torino`, kind, name: `Ufficio di prova (${kind})`, jurisdiction: "TO", calendar: "IT-TO",
      emails: ["prova@example.org"], fallbackEmail: "prova@example.org", escalatesTo: null, region: "Piemonte",
    }).run();
  }
});
afterAll(async () => { await spy.dispose(); });

describe("the preview computes what a case computes", () => {
  it.for(latest().map((t) => t.id))("on %s, for random event sequences", async (id) => {
    const def = latest().find((t) => t.id === id)!;
    let compared = 0;
    for (let run = 0; run < RUNS_PER_TIMELINE; run++) {
      const seed = [...id].reduce((h, ch) => Math.imul(h, 31) + ch.charCodeAt(0), run + 1);
      const evs = sequence(def, seed);
      const [real, preview] = [await realCase(def, evs), await previewed(def, evs)];
      expect(preview, `${id} run ${run} (seed ${seed}): ${JSON.stringify(evs.map((e) => [e.type, e.occurredAt, e.data]))}`).toEqual(real);
      compared += real.deadlines.length;
    }
    // Not a test that passes by refusing everything: some deadlines were compared on every timeline.
    expect(compared).toBeGreaterThan(0);
  });
});


