/**
 * Outbound subscriptions: an office's or centre's HTTPS endpoint, the event
 * kinds it wants, its flow control, and its signing secret — shown once, in
 * the answer that created it; a rotation keeps the old one valid for a day
 * (signatures carry both meanwhile). Every change is audited in its batch.
 */
import { and, eq, gt, isNull, or } from "drizzle-orm";
import * as z from "zod";
import type { Principal } from "../auth/principal.js";
import { ROTATION_OVERLAP_MS, newSecret } from "../auth/standard-webhooks.js";
import { auditInsert } from "../db/audit.js";
import type { Db } from "../db/client.js";
import { directory } from "../db/directory.js";
import { subscriptionSecrets, subscriptions } from "../db/schema.js";
import { formatRomeInstant } from "../engine/rome.js";
import { ApiError } from "../http/problem.js";
import { endpointProblem } from "../outbound/endpoint.js";
import { OUTBOUND_KINDS } from "../outbound/events.js";
import type { Stmt } from "./changes.js";

export type SubscriptionRow = typeof subscriptions.$inferSelect;

const Kinds = z.array(z.enum(OUTBOUND_KINDS)).min(1).max(OUTBOUND_KINDS.length).refine((k) => new Set(k).size === k.length, "tipi ripetuti");

export const SubscriptionBody = z.strictObject({
  office: z.string().min(1).max(100).describe("Ufficio o centro titolare dell'abbonamento"),
  url: z.string().max(2000).describe("Endpoint HTTPS che riceve gli eventi"),
  kinds: Kinds.describe("Tipi di evento da ricevere"),
  description: z.string().max(200).default(""),
  parallelism: z.number().int().min(1).max(50).default(2).describe("Consegne contemporanee al massimo"),
  ratePerSecond: z.number().int().min(1).max(100).default(10).describe("Consegne avviate al secondo al massimo (QStash)"),
});

export const SubscriptionPatch = z.strictObject({
  url: z.string().max(2000).optional(),
  kinds: Kinds.optional(),
  description: z.string().max(200).optional(),
  parallelism: z.number().int().min(1).max(50).optional(),
  ratePerSecond: z.number().int().min(1).max(100).optional(),
  enabled: z.boolean().optional(),
});

function requireEndpoint(url: string, local: boolean): void {
  const why = endpointProblem(url, local);
  if (why !== null) throw new ApiError("invalid_body", `url: ${why}`, { parameter: "url" });
}

/** How the API and the pages show a subscription (never its secrets). */
export function subscriptionView(s: SubscriptionRow) {
  const at = (ms: number | null) => (ms === null ? null : formatRomeInstant(ms));
  return {
    id: s.id, office: s.officeId, url: s.url, description: s.description, kinds: s.kinds, parallelism: s.parallelism, ratePerSecond: s.ratePerSecond,
    status: (s.disabledAt !== null ? "disabled" : s.failingSince !== null ? "failing" : "active") as "disabled" | "failing" | "active",
    failingSince: at(s.failingSince), flaggedAt: at(s.flaggedAt), createdAt: at(s.createdAt),
  };
}

export async function getSubscription(db: Db, id: string): Promise<SubscriptionRow> {
  const s = await db.select().from(subscriptions).where(eq(subscriptions.id, id)).get();
  if (s === undefined) throw new ApiError("not_found", `Nessun abbonamento ${id}`);
  return s;
}

export async function listSubscriptions(db: Db): Promise<SubscriptionRow[]> {
  return db.select().from(subscriptions).orderBy(subscriptions.officeId, subscriptions.createdAt).all();
}

export interface Who {
  p: Principal;
  requestId: string | null;
  now: number;
  /** A local deployment: endpoints on this machine over plain HTTP are allowed. */
  local: boolean;
}

export async function createSubscription(db: Db, who: Who, input: z.infer<typeof SubscriptionBody>): Promise<{ subscription: SubscriptionRow; secret: string }> {
  requireEndpoint(input.url, who.local);
  if ((await directory(db)).get(input.office) === undefined) throw new ApiError("unknown_office", `office: nessun ufficio ${input.office}`, { parameter: "office" });
  const row: SubscriptionRow = {
    id: `sub_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`, officeId: input.office, url: input.url, description: input.description, kinds: input.kinds,
    parallelism: input.parallelism, ratePerSecond: input.ratePerSecond, createdAt: who.now, createdBy: who.p.id, disabledAt: null, failingSince: null, flaggedAt: null,
  };
  const secret = newSecret();
  await db.batch([
    db.insert(subscriptions).values(row),
    db.insert(subscriptionSecrets).values({ id: crypto.randomUUID(), subscriptionId: row.id, secret, createdAt: who.now }),
    auditInsert(db, { actor: who.p.id, action: "subscription.created", caseId: null, requestId: who.requestId, detail: { subscription: row.id, office: row.officeId, kinds: row.kinds } }, who.now),
  ]);
  return { subscription: row, secret };
}

export async function updateSubscription(db: Db, who: Who, id: string, patch: z.infer<typeof SubscriptionPatch>): Promise<SubscriptionRow> {
  const current = await getSubscription(db, id);
  if (patch.url !== undefined) requireEndpoint(patch.url, who.local);
  const { enabled, ...fields } = patch;
  const disabledAt = enabled === undefined ? current.disabledAt : enabled ? null : (current.disabledAt ?? who.now);
  const next = { ...current, ...fields, disabledAt };
  await db.batch([
    db.update(subscriptions).set({ ...fields, disabledAt }).where(eq(subscriptions.id, id)),
    auditInsert(db, { actor: who.p.id, action: "subscription.updated", caseId: null, requestId: who.requestId, detail: { subscription: id, changed: Object.keys(patch) } }, who.now),
  ]);
  return next;
}

/** A new secret; the ones still valid expire a day from now (not later than they would have). */
export async function rotateSecret(db: Db, who: Who, id: string): Promise<{ secret: string; previousExpiresAt: string }> {
  await getSubscription(db, id);
  const until = who.now + ROTATION_OVERLAP_MS;
  const secret = newSecret();
  const stmts: Stmt[] = [
    db.update(subscriptionSecrets).set({ expiresAt: until })
      .where(and(eq(subscriptionSecrets.subscriptionId, id), or(isNull(subscriptionSecrets.expiresAt), gt(subscriptionSecrets.expiresAt, until)))),
    db.insert(subscriptionSecrets).values({ id: crypto.randomUUID(), subscriptionId: id, secret, createdAt: who.now }),
    auditInsert(db, { actor: who.p.id, action: "subscription.secret-rotated", caseId: null, requestId: who.requestId, detail: { subscription: id } }, who.now),
  ];
  await db.batch(stmts as [Stmt, ...Stmt[]]);
  return { secret, previousExpiresAt: formatRomeInstant(until) };
}
