/** The messages a timeline sends at once on an event (an intake, an anomaly, an outcome). */
import type { Directory } from "../../db/directory.js";
import type { TimelineDefinition } from "../../timelines/definition.js";
import type { NewNotification } from "./open-stage.js";

export function eventNotices(
  dir: Directory, def: TimelineDefinition, instanceId: string, anchorDeadlineId: string, onCase: Record<string, string>,
  event: { id: string; type: string; data: Record<string, unknown> }, now: number,
): NewNotification[] {
  const rows: NewNotification[] = [];
  for (const n of def.notices) {
    if (n.on !== event.type) continue;
    if (n.when !== undefined && !Object.entries(n.when).every(([k, v]) => event.data[k] === v)) continue;
    const office = onCase[n.to] === undefined ? undefined : dir.get(onCase[n.to]!);
    if (office === undefined) continue;
    const rung = `event.${event.id.slice(0, 8)}.${n.to}`;
    rows.push({
      id: `${anchorDeadlineId}.${rung}`, deadlineId: anchorDeadlineId, instanceId, rung, kind: "notice", officeId: office.id,
      recipients: office.emails, sendAtMs: now, status: "scheduled", detail: { notice: "event", text: n.text, eventType: event.type },
    });
  }
  return rows;
}
