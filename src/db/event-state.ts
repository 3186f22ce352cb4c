/**
 * Everything an incoming event needs to read, in one D1 batch: one round
 * trip however many timelines the case runs. The directory's stamp rides
 * along, so the isolate's copy of the directory is confirmed (or found
 * stale) by the same call; so does the webhook's first response, when the
 * event came by webhook.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "./client.js";
import { stampQuery } from "./directory.js";
import { caseOffices, cases, deadlines, events, offices, timelineInstances } from "./schema.js";
import { type Case, type CaseHint, type Deadline, type Instance, type StoredEvent, live } from "./cases.js";
import { firstResponseQuery } from "./webhooks.js";

export interface CaseState extends Case {
  district: string;
  /** role → office id */
  offices: Record<string, string>;
}

export interface EventState {
  stamp: string;
  /** The event already recorded under this idempotency key, with its case's reference. */
  previous: (StoredEvent & { ref: string }) | undefined;
  /** The cases with this reference (one per owner office at most), narrowed by the hint. */
  cases: CaseState[];
  /** Their timeline instances, oldest first. */
  instances: Instance[];
  /** The deadlines of their running instances, soonest first. */
  deadlines: Deadline[];
  /** The response already given to this webhook delivery, if any. */
  firstResponse: { status: number; body: string } | undefined;
}

export interface EventKeys {
  idempotencyKey: string;
  ref: string;
  hint?: CaseHint;
  delivery?: { senderId: string; webhookId: string };
}

export async function readEventState(db: Db, k: EventKeys): Promise<EventState> {
  const hint = k.hint ?? {};
  const match = and(
    eq(cases.ref, k.ref), live,
    hint.office === undefined ? undefined : eq(cases.ownerOfficeId, hint.office),
    hint.district === undefined ? undefined : eq(offices.jurisdiction, hint.district),
  );
  const ids = db.select({ id: cases.id }).from(cases).innerJoin(offices, eq(offices.id, cases.ownerOfficeId)).where(match);
  const running = db.select({ id: timelineInstances.id }).from(timelineInstances)
    .where(and(inArray(timelineInstances.caseId, ids), eq(timelineInstances.status, "running")));
  // A placeholder that reads nothing keeps the batch's shape when there is no delivery to look up.
  const delivery = k.delivery ?? { senderId: "", webhookId: "" };
  const [stamp, previous, found, links, instances, open, first] = await db.batch([
    stampQuery(db),
    db.select({ e: events, ref: cases.ref }).from(events).innerJoin(cases, eq(cases.id, events.caseId)).where(eq(events.idempotencyKey, k.idempotencyKey)),
    db.select({ c: cases, district: offices.jurisdiction }).from(cases).innerJoin(offices, eq(offices.id, cases.ownerOfficeId)).where(match).limit(50),
    db.select().from(caseOffices).where(inArray(caseOffices.caseId, ids)),
    db.select().from(timelineInstances).where(inArray(timelineInstances.caseId, ids)).orderBy(asc(timelineInstances.startedAt)),
    db.select().from(deadlines).where(inArray(deadlines.instanceId, running)).orderBy(asc(deadlines.dueAtMs)),
    firstResponseQuery(db, delivery.senderId, delivery.webhookId),
  ]);
  return {
    stamp: stamp[0]?.stamp ?? "",
    previous: previous[0] === undefined ? undefined : { ...previous[0].e, ref: previous[0].ref },
    cases: found.map((r) => ({
      ...r.c, district: r.district,
      offices: Object.fromEntries(links.filter((l) => l.caseId === r.c.id).map((l) => [l.role, l.officeId])),
    })),
    instances,
    deadlines: open,
    firstResponse: k.delivery === undefined ? undefined : first[0],
  };
}

/** The type of the event recorded under this idempotency key, if one was (a confirmation sent twice). */
export async function recordedUnder(db: Db, idempotencyKey: string): Promise<string | undefined> {
  return (await db.select({ type: events.type }).from(events).where(eq(events.idempotencyKey, idempotencyKey)).get())?.type;
}
