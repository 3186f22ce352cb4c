/** Webhook senders, their secrets (several while rotating) and first responses. */
import { and, eq, gt, isNull, or } from "drizzle-orm";
import type { SenderSecret } from "../auth/standard-webhooks.js";
import type { Db } from "./client.js";
import { senderEventTypes, senderOffices, webhookDeliveries, webhookSecrets } from "./schema.js";

export async function activeSecrets(db: Db, now: number): Promise<SenderSecret[]> {
  const rows = await db
    .select()
    .from(webhookSecrets)
    .where(or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, now)))
    .all();
  return rows.map((r) => ({ senderId: r.senderId, secretId: r.id, secret: r.secret }));
}

export async function senderOfficeIds(db: Db, senderId: string): Promise<Set<string>> {
  const rows = await db.select().from(senderOffices).where(eq(senderOffices.senderId, senderId)).all();
  return new Set(rows.map((r) => r.officeId));
}

/** Event types the sender may record whatever office is responsible. */
export async function senderTrustedEvents(db: Db, senderId: string): Promise<Set<string>> {
  const rows = await db.select().from(senderEventTypes).where(eq(senderEventTypes.senderId, senderId)).all();
  return new Set(rows.map((r) => r.eventType));
}

export async function firstResponse(db: Db, senderId: string, webhookId: string) {
  return db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.senderId, senderId), eq(webhookDeliveries.webhookId, webhookId)))
    .get();
}

export function recordResponse(db: Db, senderId: string, webhookId: string, status: number, body: string, now: number) {
  return db.insert(webhookDeliveries).values({ senderId, webhookId, status, body, receivedAt: now }).onConflictDoNothing();
}
