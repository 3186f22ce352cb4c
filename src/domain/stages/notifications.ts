/**
 * Notification rows that the steps of an event share: a notice of what
 * changed, and the re-planning of a deadline's rungs when its date moves.
 * A leaf: the steps import it, it imports none of them.
 */
import { eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { deadlines, notifications } from "../../db/schema.js";
import type { Stmt } from "../events/changes.js";
import type { NewNotification } from "./open-stage.js";

type Deadline = typeof deadlines.$inferSelect;

/** A notice row; `cause` (an event or a migration) makes it unique per deadline. */
export function notice(d: Deadline, cause: string, now: number, recipients: string[], detail: NewNotification["detail"]): NewNotification {
  const tag = `${detail!.notice}.${cause.slice(0, 12)}`;
  return {
    id: `${d.id}.${tag}`, deadlineId: d.id, instanceId: d.instanceId, rung: tag, kind: "notice", officeId: d.officeId,
    recipients, sendAtMs: now, status: "scheduled", detail,
  };
}

/** Rows still to send follow the new dates; what is already sent stays; the office hears of the change. */
export async function replan(db: Db, d: Deadline, planned: NewNotification[], change: NewNotification | undefined): Promise<Stmt[]> {
  const out: Stmt[] = [];
  const existing = new Map((await db.select().from(notifications).where(eq(notifications.deadlineId, d.id)).all()).map((n) => [n.id, n]));
  for (const n of planned) {
    const old = existing.get(n.id);
    if (old === undefined) out.push(db.insert(notifications).values(n));
    else if (old.status === "scheduled") out.push(db.update(notifications).set({ sendAtMs: n.sendAtMs, officeId: n.officeId, recipients: n.recipients }).where(eq(notifications.id, n.id)));
  }
  const keep = new Set(planned.map((n) => n.id));
  const dropped = [...existing.values()].filter((n) => n.status === "scheduled" && !keep.has(n.id) && n.kind !== "notice" && n.kind !== "fallback");
  if (dropped.length > 0) out.push(db.update(notifications).set({ status: "cancelled" }).where(inArray(notifications.id, dropped.map((n) => n.id))));
  if (change !== undefined) out.push(db.insert(notifications).values(change));
  return out;
}
