/**
 * Moving running instances to a newer version of their timeline — only ever
 * on an explicit command. Each open deadline is recomputed under the new
 * definition from the same start, its rungs re-planned, the office told of
 * a changed date; a stage the new version no longer has is withdrawn. One
 * D1 batch per instance, audited with old and new dates.
 */
import { and, eq } from "drizzle-orm";
import type { Principal } from "../../auth/principal.js";
import { auditInsert } from "../../db/audit.js";
import { deadlinesOf, officesOfCase } from "../../db/cases.js";
import type { Db } from "../../db/client.js";
import { directory } from "../../db/directory.js";
import { deadlines, notifications, timelineInstances } from "../../db/schema.js";
import { DomainFailure } from "../failure.js";
import { getTimeline } from "../../timelines/catalog.js";
import type { TimelineDefinition } from "../../timelines/definition.js";
import { notice, replan } from "./notifications.js";
import type { Stmt } from "../events/changes.js";
import { openStage } from "./open-stage.js";
import { type DeadlineFacts, type OutboundFact, caseFactsOf, deadlineFact, outboundRows } from "../subscriptions/outbound.js";

export interface Migration {
  instanceId: string;
  moves: { deadline: string; from: string; to: string | null }[];
}

/** Instances per call; the caller repeats while `remaining` > 0. */
const BATCH = 100;

export async function migrateInstances(
  db: Db, p: Principal, id: string, from: number, to: number, now: number, requestId: string | null, appBaseUrl?: string,
): Promise<{ migrated: Migration[]; remaining: number }> {
  const source = getTimeline(id, from);
  const target = getTimeline(id, to);
  if (source === undefined) throw new DomainFailure("invalid_body", `from: nessuna versione ${from} di ${id}`, { parameter: "from" });
  if (target === undefined || to <= from) throw new DomainFailure("invalid_body", `to: nessuna versione ${to} di ${id} successiva alla ${from}`, { parameter: "to" });
  const running = await db.select().from(timelineInstances)
    .where(and(eq(timelineInstances.timeline, id), eq(timelineInstances.version, from), eq(timelineInstances.status, "running"))).all();
  const migrated: Migration[] = [];
  for (const instance of running.slice(0, BATCH)) {
    const { stmts, moves, facts } = await migrateOne(db, target, instance.id, instance.caseId, now, appBaseUrl);
    stmts.push(db.update(timelineInstances).set({ version: to }).where(eq(timelineInstances.id, instance.id)));
    stmts.push(...(await outboundRows(db, await directory(db), facts, now)).stmts);
    stmts.push(auditInsert(db, { actor: p.id, action: "timeline.migrated", caseId: instance.caseId, requestId, detail: { instanceId: instance.id, timeline: id, from, to, moves } }, now));
    await db.batch(stmts as [Stmt, ...Stmt[]]);
    migrated.push({ instanceId: instance.id, moves });
  }
  return { migrated, remaining: Math.max(0, running.length - BATCH) };
}

async function migrateOne(db: Db, def: TimelineDefinition, instanceId: string, caseId: string, now: number, appBaseUrl: string | undefined) {
  const stmts: Stmt[] = [];
  const [onCase, dir] = await Promise.all([officesOfCase(db, caseId), directory(db)]);
  const moves: Migration["moves"] = [];
  // Endpoints hear of a moved or withdrawn deadline as of a correction's (read only if someone listens).
  const facts: OutboundFact[] = [];
  const wanted = appBaseUrl !== undefined && (dir.wants("deadline.changed") || dir.wants("deadline.closed"));
  const c = wanted ? await caseFactsOf(db, caseId) : undefined;
  const t = { id: def.id, version: def.version };
  const tell = (kind: "deadline.changed" | "deadline.closed", d: DeadlineFacts, extra: { previousDueAt: string } | { outcome: null }) => {
    if (c !== undefined) facts.push(deadlineFact(dir, appBaseUrl!, kind, `${d.id}:v${def.version}`, c, t, d, extra as never));
  };
  const cause = `v${def.version}.${instanceId}`;
  for (const d of await deadlinesOf(db, [instanceId])) {
    if (d.status !== "open" && d.status !== "informational") continue;
    const stage = def.stages.find((s) => s.id === d.stage);
    if (stage === undefined) {
      stmts.push(db.update(deadlines).set({ status: "withdrawn" }).where(eq(deadlines.id, d.id)));
      stmts.push(db.update(notifications).set({ status: "cancelled" }).where(and(eq(notifications.deadlineId, d.id), eq(notifications.status, "scheduled"))));
      moves.push({ deadline: d.id, from: d.dueAt, to: null });
      tell("deadline.closed", { ...d, status: "withdrawn" }, { outcome: null });
      continue;
    }
    const office = dir.get(d.officeId)!;
    const next = await openStage(db, dir, def, stage, instanceId, office, { eventId: d.startedByEvent, occurredAtMs: d.startedAtMs, onCase });
    const nd = next.deadline;
    stmts.push(db.update(deadlines).set({ dueAt: nd.dueAt, dueAtMs: nd.dueAtMs, dueDate: nd.dueDate, explanation: nd.explanation, status: nd.status }).where(eq(deadlines.id, d.id)));
    if (nd.status === "open") {
      // The office hears of it only when its date actually moved.
      const told = nd.dueAtMs === d.dueAtMs ? undefined : notice(d, cause, now, office.emails, { notice: "date-changed", previousDueAt: d.dueAt });
      stmts.push(...(await replan(db, d, next.notifications, told)));
      if (told !== undefined) tell("deadline.changed", { ...d, dueAt: nd.dueAt, dueDate: nd.dueDate ?? null, status: "open" }, { previousDueAt: d.dueAt });
    }
    moves.push({ deadline: d.id, from: d.dueAt, to: nd.dueAt });
  }
  return { stmts, moves, facts };
}
