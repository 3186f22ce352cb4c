/**
 * What deadlines a sequence of events would produce, without storing
 * anything: the catalogue's rules, the engine's terms and reasons, and the
 * rungs each deadline would run. Pure.
 */
import { hasOwn } from "../lib/own.js";
import { stageTerm } from "./stage-term.js";
import { type StageDefinition, type TimelineDefinition, rungsOf } from "./definition.js";
import { planRungs } from "./schedule.js";

export interface SimEvent {
  type: string;
  at: number;
  occurredAt: string;
  data?: Record<string, unknown>;
}

export interface SimDeadline {
  stage: string;
  seq: number;
  title: string;
  basis: string;
  office: string;
  startedBy: string;
  dueAt: string;
  dueDate: string | null;
  status: "open" | "met" | "late" | "informational";
  outcome: string | null;
  why: { steps: unknown[]; flags: string[]; plainDate?: string; extendedDate?: string };
  rungs: { rung: string; kind: string; level: number; sendAt: string }[];
}

export type SimFailure =
  | { reason: "not-a-trigger"; index: number }
  | { reason: "unknown-event"; index: number }
  | { reason: "stage-not-started"; index: number; stage: string }
  | { reason: "stage-closed"; index: number; stage: string }
  | { reason: "out-of-range"; index: number };

export type SimResult = { ok: true; deadlines: SimDeadline[]; closed: boolean } | { ok: false; failure: SimFailure };

export function simulate(def: TimelineDefinition, events: readonly SimEvent[], calendar = "IT"): SimResult {
  type Working = SimDeadline & { dueAtMs: number; startedAt: number; counted: number };
  const out: Working[] = [];
  const byStage = new Map<string, Working>();
  const ordered = [...events].map((e, index) => ({ ...e, index })).sort((a, b) => a.at - b.at);
  for (const [n, e] of ordered.entries()) {
    if (n === 0 && e.type !== def.trigger) return { ok: false, failure: { reason: "not-a-trigger", index: e.index } };
    const ending = n > 0 ? def.endsOn[e.type] : undefined;
    const closing = def.stages.filter((s) => hasOwn(s.closesOn, e.type));
    const starting = def.stages.filter((s) => s.startsOn === e.type && (n === 0 || e.type !== def.trigger));
    const counting = n === 0 ? [] : def.stages.filter((s) => s.quota?.event === e.type);
    const noticed = def.notices.some((x) => x.on === e.type) || def.stages.some((s) => s.suspension?.on === e.type || s.suspension?.off === e.type);
    if (ending === undefined && closing.length === 0 && starting.length === 0 && counting.length === 0 && !noticed) {
      return { ok: false, failure: { reason: "unknown-event", index: e.index } };
    }
    for (const s of counting) {
      // An attestation counts in the period it falls in (only periods already shown).
      const d = out.find((x) => x.stage === s.id && x.status === "open" && x.startedAt <= e.at && e.at <= x.dueAtMs);
      if (d !== undefined && ++d.counted >= s.quota!.count) {
        d.status = "met";
        d.outcome = "frequenza attestata";
      }
    }
    const close = (d: Working, outcome: string) => {
      d.status = e.at <= d.dueAtMs ? "met" : "late";
      d.outcome = outcome;
    };
    if (ending !== undefined) for (const d of byStage.values()) if (d.status === "open") close(d, ending);
    const openPeriod = (s: StageDefinition, seq: number): boolean => {
      const r = stageTerm(s, e.at, typeof e.data?.dueDate === "string" ? e.data.dueDate : undefined, calendar);
      if (!r.ok) return false;
      const t = r.term;
      const d = {
        stage: s.id, seq, title: s.title, basis: s.basis, office: s.office, startedBy: e.occurredAt, dueAt: t.dueAt, dueAtMs: t.dueAtMs,
        startedAt: e.at, counted: 0,
        dueDate: t.dueDate ?? null, status: s.informational ? ("informational" as const) : ("open" as const), outcome: null,
        why: { steps: t.steps, flags: t.flags, plainDate: t.plainDate, extendedDate: t.extendedDate },
        rungs: planRungs(rungsOf(def, s), e.at, t.dueAtMs).map((p) => ({ rung: p.rung, kind: p.kind, level: p.level, sendAt: new Date(p.sendAtMs).toISOString() })),
      };
      byStage.set(s.id, d);
      out.push(d);
      return true;
    };
    for (const s of closing) {
      const d = byStage.get(s.id);
      if (d === undefined) return { ok: false, failure: { reason: "stage-not-started", index: e.index, stage: s.id } };
      if (d.status !== "open") return { ok: false, failure: { reason: "stage-closed", index: e.index, stage: s.id } };
      close(d, s.closesOn[e.type]!);
      if (s.recurs && ending === undefined && !openPeriod(s, d.seq + 1)) return { ok: false, failure: { reason: "out-of-range", index: e.index } };
    }
    if (ending !== undefined) continue;
    for (const s of starting) {
      if (byStage.has(s.id)) return { ok: false, failure: { reason: "stage-closed", index: e.index, stage: s.id } };
      if (!openPeriod(s, 1)) return { ok: false, failure: { reason: "out-of-range", index: e.index } };
    }
  }
  const closed = [...byStage.values()].every((d) => d.status !== "open");
  return { ok: true, deadlines: out.map(({ dueAtMs: _, startedAt: __, counted: ___, ...d }) => d), closed };
}
