/**
 * An event that sets when a stage's act will happen (the judge fixes the
 * validation hearing for a date, data.hearingAt). The stage stays open until
 * the act; a date after the stage's due instant is flagged the moment it is
 * recorded (to the office and the one above, and in the answer), not when
 * the window ends: a hearing fixed in time for a later date does not comply.
 */
import { parseInstant } from "../../engine/instant.js";
import { romeWhen } from "../../engine/rome.js";
import { DomainFailure } from "../failure.js";
import type { StageDefinition } from "../../timelines/definition.js";
import type { Deadline } from "../../db/cases.js";
import type { Changes, EventContext } from "../events/changes.js";
import { notifications } from "../../db/schema.js";
import type { NewNotification } from "./open-stage.js";

/** What the office reads when the date falls outside the window. */
function outsideWindow(stage: StageDefinition, whenMs: number, dueAtMs: number): string {
  return `${stage.title}: fissata per il ${romeWhen(whenMs)}, oltre il termine che scade il ${romeWhen(dueAtMs)} (${stage.basis}). ${stage.consequence.text}`;
}

export function scheduleAct(ctx: EventContext, ch: Changes, stage: StageDefinition, d: Deadline): void {
  const field = stage.scheduledBy!.field;
  const parameter = `data.${field}`;
  const raw = ctx.data[field];
  const when = typeof raw === "string" ? parseInstant(raw) : undefined;
  if (when === undefined || !when.ok) throw new DomainFailure("invalid_body", `${parameter}: indicare la data e l'ora fissate (RFC 3339)`, { parameter });
  if (when.ms < ctx.at) throw new DomainFailure("invalid_body", `${parameter}: la data fissata precede l'evento che la fissa`, { parameter });
  if (when.ms <= d.dueAtMs) {
    ch.result.deadlines.push({ id: d.id, stage: d.stage, office: d.officeId, status: d.status, dueAt: d.dueAt, dueDate: d.dueDate });
    return;
  }
  const text = outsideWindow(stage, when.ms, d.dueAtMs);
  const office = ctx.dir.get(d.officeId);
  const above = office === undefined ? undefined : ctx.dir.chain(office, 1)[0];
  const rows: NewNotification[] = [office, above].filter((o) => o !== undefined).map((o) => ({
    id: `${d.id}.fixed.${ctx.eventId.slice(0, 8)}.${o.id}`, deadlineId: d.id, instanceId: d.instanceId, rung: `fixed.${ctx.eventId.slice(0, 8)}.${o.id}`,
    kind: "notice", officeId: o.id, recipients: o.emails, sendAtMs: ctx.now, status: "scheduled",
    detail: { notice: "event", text, eventType: ctx.type },
  }));
  if (rows.length > 0) ch.stmts.push(ctx.db.insert(notifications).values(rows));
  ch.result.deadlines.push({ id: d.id, stage: d.stage, office: d.officeId, status: d.status, dueAt: d.dueAt, dueDate: d.dueDate, warning: text });
}
