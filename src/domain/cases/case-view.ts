/** A case as staff read it: offices, events, and each timeline's deadlines with the reasons for their dates. */
import { formatRomeInstant } from "../../engine/rome.js";
import { type Case, deadlinesOf, eventsOf, instancesOf, notificationsOf, officesOfCase } from "../../db/cases.js";
import type { Db } from "../../db/client.js";
import { displayTitle, getTimeline } from "../../timelines/catalog.js";
import { LAPSE_EVENT, describeConsequence, lapsedAt } from "../../timelines/consequence.js";
import { endsAtExactInstant } from "../../timelines/stage-term.js";

export async function caseView(db: Db, c: Case, now: number) {
  const instances = await instancesOf(db, c.id);
  const ids = instances.map((i) => i.id);
  const [offices, events, deadlines, notes] = await Promise.all([
    officesOfCase(db, c.id), eventsOf(db, c.id), deadlinesOf(db, ids), notificationsOf(db, ids),
  ]);
  return {
    ref: c.ref,
    /** The office whose reference it is. */
    office: c.ownerOfficeId,
    createdAt: formatRomeInstant(c.createdAt),
    offices,
    events: events.map((e) => ({
      id: e.id, type: e.type, occurredAt: e.occurredAt, source: e.source,
      ...(e.type === LAPSE_EVENT && typeof e.data.effect === "string" ? { effect: e.data.effect } : {}),
    })),
    timelines: instances.map((i) => {
      const def = getTimeline(i.timeline, i.version);
      return {
        instanceId: i.id, timeline: i.timeline, version: i.version, title: def === undefined ? undefined : displayTitle(def), basis: def?.basis,
        legalStatus: def?.status, status: i.status,
        deadlines: deadlines.filter((d) => d.instanceId === i.id).map((d) => {
          const stage = def?.stages.find((s) => s.id === d.stage);
          return {
          id: d.id, stage: d.stage, title: stage?.title, office: d.officeId,
          dueAt: d.dueAt, dueDate: d.dueDate, status: d.status, overdue: d.status === "open" && now > d.dueAtMs,
          outcome: d.outcome,
          ...(stage === undefined ? {} : { date: stage.date, consequence: describeConsequence(stage.consequence), exactInstant: endsAtExactInstant(stage) }),
          // Passed without its act: the measure has lapsed even before the lapse is recorded.
          lapsed: d.status === "lapsed" || (d.status === "open" && stage !== undefined && lapsedAt(stage.consequence, d.dueAtMs, now)),
          // A period that ended short of its quota (no act closed it): its outcome says what was missing.
          short: d.status === "late" && d.closedByEvent === null,
          why: d.explanation,
          notifications: notes.filter((n) => n.deadlineId === d.id).map((n) => ({
            rung: n.rung, kind: n.kind, office: n.officeId, sendAt: formatRomeInstant(n.sendAtMs), status: n.status,
            sentAt: n.sentAtMs === null ? null : formatRomeInstant(n.sentAtMs),
          })),
          };
        }),
      };
    }),
  };
}
