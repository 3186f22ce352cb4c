/**
 * What an event on a case tells subscribed endpoints, read off what the
 * event changed: the deadlines it opened, closed or moved, and the
 * timelines it ended.
 */
import { webCasePath } from "../../lib/case-link.js";
import { own } from "../../lib/own.js";
import { getTimeline } from "../../timelines/catalog.js";
import type { Changes, EventContext } from "../events/changes.js";
import { type CaseFacts, type DeadlineFacts, type OutboundFact, type TimelineFacts, concerned, deadlineFact } from "./outbound.js";
import { AMENDMENTS } from "../events/schemas.js";

export function eventFacts(ctx: EventContext, ch: Changes, appBaseUrl: string): OutboundFact[] {
  const { dir } = ctx;
  const c: CaseFacts = { id: ctx.caseId, ref: ctx.caseRef, owner: ctx.ownerOfficeId ?? "", offices: Object.values(ctx.onCase) };
  const timelines = new Map<string, TimelineFacts & { wasRunning: boolean }>();
  for (const i of ctx.instances) timelines.set(i.id, { id: i.timeline, version: i.version, wasRunning: i.status === "running" });
  for (const t of ch.result.timelines) if (!timelines.has(t.instanceId)) timelines.set(t.instanceId, { id: t.timeline, version: t.version, wasRunning: true });
  const instanceOf = (deadlineId: string) => [...timelines.keys()].find((id) => deadlineId.startsWith(`${id}.`));
  const opened = new Set(ch.opened.map((o) => o.deadline.id));
  const before = new Map(ctx.deadlines.map((d) => [d.id, d]));
  const moves = (ch.audit?.detail.moves ?? []) as { deadline: string; from: string }[];
  const amendment = Object.hasOwn(AMENDMENTS, ctx.type);
  const facts: OutboundFact[] = [];
  for (const r of ch.result.deadlines) {
    const instanceId = instanceOf(r.id);
    const t = instanceId === undefined ? undefined : timelines.get(instanceId);
    if (instanceId === undefined || t === undefined) continue;
    const d: DeadlineFacts = { id: r.id, instanceId, stage: r.stage, officeId: r.office, dueAt: r.dueAt, dueDate: r.dueDate, status: r.status as DeadlineFacts["status"] };
    if (opened.has(r.id)) facts.push(deadlineFact(dir, appBaseUrl, "deadline.opened", r.id, c, t, d, {}));
    else if (r.status === "withdrawn" || (!amendment && (r.status === "met" || r.status === "late"))) {
      facts.push(deadlineFact(dir, appBaseUrl, "deadline.closed", `${r.id}:${ctx.eventId}`, c, t, d, { outcome: outcomeOf(t, r.stage, ctx.type, r.status) }));
    } else {
      const previousDueAt = moves.find((m) => m.deadline === r.id)?.from ?? before.get(r.id)?.dueAt ?? null;
      facts.push(deadlineFact(dir, appBaseUrl, "deadline.changed", `${r.id}:${ctx.eventId}`, c, t, d, { previousDueAt }));
    }
  }
  for (const r of ch.result.timelines) {
    const t = timelines.get(r.instanceId);
    if (t === undefined || !t.wasRunning || (r.status !== "closed" && r.status !== "withdrawn")) continue;
    const status = r.status;
    facts.push({
      kind: "timeline.ended", key: `${r.instanceId}:${ctx.eventId}`, caseId: c.id, instanceId: r.instanceId, offices: () => concerned(dir, c),
      data: () => ({ case: { ref: c.ref, office: c.owner }, timeline: { id: t.id, version: t.version, instance: r.instanceId, status }, link: appBaseUrl + webCasePath(c.ref, c.owner) }),
    });
  }
  return facts;
}

/** How the definition names the closing (e.g. «misura richiesta»); null for a withdrawal. */
function outcomeOf(t: TimelineFacts, stage: string, type: string, status: string): string | null {
  if (status === "withdrawn") return null;
  const def = getTimeline(t.id, t.version);
  const s = def?.stages.find((x) => x.id === stage);
  if (s?.quota?.event === type) return s.quota.met;
  return (s === undefined ? undefined : own(s.closesOn, type)) ?? (def === undefined ? undefined : own(def.endsOn, type)) ?? null;
}
