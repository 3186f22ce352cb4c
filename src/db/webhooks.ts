/** Webhook deliveries: the first response given to each (sender, webhook-id). */
import { and, eq } from "drizzle-orm";
import type { Db } from "./client.js";
import { webhookDeliveries } from "./schema.js";

/** The statement, for a caller's own batch. */
export function firstResponseQuery(db: Db, senderId: string, webhookId: string) {
  return db
    .select({ status: webhookDeliveries.status, body: webhookDeliveries.body })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.senderId, senderId), eq(webhookDeliveries.webhookId, webhookId)));
}

export async function firstResponse(db: Db, senderId: string, webhookId: string) {
  return firstResponseQuery(db, senderId, webhookId).get();
}

export function recordResponse(db: Db, senderId: string, webhookId: string, status: number, body: string, now: number) {
  return db.insert(webhookDeliveries).values({ senderId, webhookId, status, body, receivedAt: now }).onConflictDoNothing();
}
