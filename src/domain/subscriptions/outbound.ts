/**
 * Outbound events as rows, written in the same batch as the change that
 * causes them: one event row, and one delivery row per subscription that
 * wants it. The subscriptions come from the directory in memory, so an
 * event that nobody subscribed to costs nothing: no read, no row, no hash.
 * Inserts ignore a row already there, so a repeated step writes nothing twice.
 */
import type { Db } from "../../db/client.js";
import type { Directory } from "../../db/directory.js";
import { eq } from "drizzle-orm";
import { eventInsert } from "../../db/outbound.js";
import { type DeadlineStatus, caseOffices, cases, outboundDeliveries } from "../../db/schema.js";
import { webCasePath } from "../../lib/case-link.js";
import { type OutboundData, type OutboundKind, outboundEvent } from "../../outbound/events.js";
import type { Stmt } from "../events/changes.js";
import { getTimeline } from "../../timelines/catalog.js";
import { describeConsequence } from "../../timelines/consequence.js";

export interface OutboundFact<K extends OutboundKind = OutboundKind> {
  kind: K;
  /** What makes the event unique among those of its kind (e.g. the deadline, and the event that closed it). */
  key: string;
  data: () => OutboundData<K>;
  /** The offices the fact concerns: their subscriptions receive it (asked only if some subscription wants the kind). */
  offices: () => ReadonlySet<string>;
  caseId: string | null;
  /** What the event's sequence counts (a report's transmission); absent: its case. */
  subject?: string;
  /** The timeline whose workflow delivers it; null: the sweep. */
  instanceId: string | null;
}

/** The rows for these facts; `instances`: the timelines that now have something to deliver. */
export async function outboundRows(db: Db, dir: Directory, facts: readonly OutboundFact[], now: number): Promise<{ stmts: Stmt[]; instances: Set<string> }> {
  const stmts: Stmt[] = [];
  const instances = new Set<string>();
  for (const f of facts) {
    if (!dir.wants(f.kind)) continue;
    const offices = f.offices();
    const subs = dir.subscribers(f.kind, offices);
    // A subscription that is off still has the event in its log, marked unsent (skipped).
    const off = dir.pausedSubscribers(f.kind, offices);
    if (subs.length + off.length === 0) continue;
    const e = await outboundEvent(f.kind, f.key, f.data() as never, now);
    const row = (subscriptionId: string, status: "pending" | "skipped") => ({
      id: `${e.id}.${subscriptionId}`, eventId: e.id, subscriptionId, instanceId: status === "pending" ? f.instanceId : null, status, dueAt: now, createdAt: now,
    });
    stmts.push(
      eventInsert(db, e, f.caseId, f.subject ?? f.caseId, now),
      db.insert(outboundDeliveries).values([...subs.map((s) => row(s.id, "pending")), ...off.map((s) => row(s.id, "skipped"))]).onConflictDoNothing(),
    );
    if (f.instanceId !== null && subs.length > 0) instances.add(f.instanceId);
  }
  return { stmts, instances };
}

export interface CaseFacts {
  id: string;
  ref: string;
  owner: string;
  /** The offices on the case: they and every office above them receive its events. */
  offices: Iterable<string>;
}

export interface DeadlineFacts {
  id: string;
  instanceId: string;
  stage: string;
  officeId: string;
  dueAt: string;
  dueDate: string | null;
  status: DeadlineStatus;
}

export interface TimelineFacts {
  id: string;
  version: number;
}

/** A stored case as its events name it: one batch for the case and its offices. */
export async function caseFactsOf(db: Db, caseId: string): Promise<CaseFacts> {
  const [c, links] = await db.batch([
    db.select({ ref: cases.ref, owner: cases.ownerOfficeId }).from(cases).where(eq(cases.id, caseId)),
    db.select({ officeId: caseOffices.officeId }).from(caseOffices).where(eq(caseOffices.caseId, caseId)),
  ]);
  return { id: caseId, ref: c[0]?.ref ?? "", owner: c[0]?.owner ?? "", offices: links.map((l) => l.officeId) };
}

/** The common part of a deadline's events. */
export function deadlineData(appBaseUrl: string, c: CaseFacts, t: TimelineFacts, d: DeadlineFacts) {
  return {
    case: { ref: c.ref, office: c.owner },
    timeline: { id: t.id, version: t.version, instance: d.instanceId },
    deadline: { id: d.id, stage: d.stage, office: d.officeId, dueAt: d.dueAt, dueDate: d.dueDate, status: d.status, ...stageMeaning(t, d.stage) },
    link: appBaseUrl + webCasePath(c.ref, c.owner),
  };
}

/** What the stage's date is and what missing it means, as the catalogue says (absent for a stage it no longer has). */
function stageMeaning(t: TimelineFacts, stageId: string) {
  const s = getTimeline(t.id, t.version)?.stages.find((x) => x.id === stageId);
  return s === undefined ? {} : { date: s.date, consequence: describeConsequence(s.consequence) };
}

/** The offices a case's events concern: its own and those above them (who may read it, and receive its escalations). */
export function concerned(dir: Directory, c: CaseFacts, also: readonly string[] = []): ReadonlySet<string> {
  return dir.withSuperiors([...c.offices, ...also]);
}

/** A deadline fact, its data built only if someone wants it. */
export function deadlineFact<K extends Exclude<OutboundKind, "timeline.ended" | "report.published">>(
  dir: Directory, appBaseUrl: string, kind: K, key: string, c: CaseFacts, t: TimelineFacts, d: DeadlineFacts,
  extra: Omit<OutboundData<K>, keyof ReturnType<typeof deadlineData>>, alsoOffices: readonly string[] = [],
): OutboundFact<K> {
  return {
    kind, key, caseId: c.id, instanceId: d.instanceId, offices: () => concerned(dir, c, [d.officeId, ...alsoOffices]),
    data: () => ({ ...deadlineData(appBaseUrl, c, t, d), ...extra }) as OutboundData<K>,
  };
}
