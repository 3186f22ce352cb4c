/** A trigger event starts a new instance of a timeline on the case. */
import { eq } from "drizzle-orm";
import { caseOffices, timelineInstances } from "../../db/schema.js";
import { DomainFailure } from "../failure.js";
import type { TimelineDefinition } from "../../timelines/definition.js";
import type { Changes, EventContext } from "../events/changes.js";
import { countOccurrence } from "./advance-timeline.js";
import { eventNotices } from "./notices.js";
import { openStage } from "./open-stage.js";
import { resolveOffices } from "../districts/resolve-offices.js";
import { requireAuthority } from "../access/authority.js";
import { requireOfficeFormat } from "../cases/case-ref.js";

export async function startTimeline(ctx: EventContext, def: TimelineDefinition, ch: Changes): Promise<void> {
  const { db, dir, p } = ctx;
  if (ctx.instances.some((i) => i.timeline === def.id && i.status === "running")) {
    throw new DomainFailure("timeline_already_running", `Lo scadenzario ${def.id} è già in corso per ${ctx.caseRef}`);
  }
  if (def.schedule !== undefined && !ctx.obligation) {
    throw new DomainFailure("forbidden", `type: lo scadenzario ${def.id} è aperto solo dal calendario di sistema`, { parameter: "type" });
  }
  const roles = resolveOffices(dir, p, def.roles, {
    named: (ctx.data.offices ?? {}) as Record<string, string | undefined>,
    jurisdiction: ctx.data.jurisdiction as string | undefined,
    onCase: ctx.onCase,
  });
  // The timeline's owner starts it (or an office above it, or a sender trusted for the trigger).
  requireAuthority(dir, p, def, ctx.type, Object.fromEntries(Object.entries(roles).map(([role, o]) => [role, o.id])));
  if (ctx.ownerOfficeId === undefined) {
    // A new case: its reference is the first stage's office's, in that office's format.
    const owner = roles[def.stages[0]!.office]!;
    if (!ctx.obligation) requireOfficeFormat(owner, ctx.caseRef, "caseRef");
    ctx.ownerOfficeId = owner.id;
  }
  for (const [role, office] of Object.entries(roles)) {
    if (ctx.onCase[role] === undefined) {
      ch.stmts.push(db.insert(caseOffices).values({ caseId: ctx.caseId, officeId: office.id, role, caseCreatedAt: ctx.caseCreatedAt }).onConflictDoNothing());
      ctx.onCase[role] = office.id;
    }
  }
  const instanceId = crypto.randomUUID();
  ch.stmts.push(db.insert(timelineInstances).values({
    id: instanceId, caseId: ctx.caseId, timeline: def.id, version: def.version, status: "running",
    startedByEvent: ctx.eventId, startedAt: ctx.now, workflowId: instanceId,
  }));
  const opened = [];
  for (const stage of def.stages.filter((s) => s.startsOn === ctx.type)) {
    opened.push(await openStage(db, dir, def, stage, instanceId, roles[stage.office]!, { eventId: ctx.eventId, occurredAtMs: ctx.at, onCase: ctx.onCase, dueDate: ctx.data.dueDate as string | undefined, data: ctx.data }));
  }
  ch.opened.push(...opened);
  const anchor = opened[0]?.deadline.id;
  if (anchor !== undefined) {
    const notices = eventNotices(dir, def, instanceId, anchor, ctx.onCase, { id: ctx.eventId, type: ctx.type, data: ctx.data }, ctx.now);
    // Inserted after the deadline they hang on (opened rows are written after this stage's statements).
    opened[0]!.notifications.push(...notices);
  }
  // A timeline of informational dates only has nothing to watch: it closes at once.
  countOccurrence(ctx, def, ch);
  const watched = opened.some((o) => o.deadline.status === "open");
  if (!watched) {
    ch.stmts.push(db.update(timelineInstances).set({ status: "closed", closedAt: ctx.now }).where(eq(timelineInstances.id, instanceId)));
  } else {
    ch.wake.start.push(instanceId);
  }
  ch.result.timelines.push({ timeline: def.id, version: def.version, instanceId, status: watched ? "running" : "closed" });
}
