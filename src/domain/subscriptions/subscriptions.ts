/**
 * Outbound subscriptions: an office's or centre's HTTPS endpoint, the event
 * kinds it wants, its flow control, and its signing secret — shown once, in
 * the answer that created it; a rotation keeps the old one valid for a day
 * (signatures carry both meanwhile). Every change is audited in its batch.
 *
 * A subscription belongs to its office: administrators create them and see
 * every one; the office's own staff see theirs, change the address and the
 * events, pause and resume, rotate the secret (flow control stays the
 * administrators'). A subscription that keeps failing is disabled by Termini
 * (settle.ts) and resumes only by hand.
 */
import { and, eq, gt, isNull, or } from "drizzle-orm";
import * as z from "zod";
import { type Principal, readsCases } from "../../auth/principal.js";
import { ROTATION_OVERLAP_MS, newSecret } from "../../auth/standard-webhooks.js";
import { auditInsert } from "../../db/audit.js";
import type { Db } from "../../db/client.js";
import { directory } from "../../db/directory.js";
import { subscriptionSecrets, subscriptions } from "../../db/schema.js";
import { formatRomeInstant } from "../../engine/rome.js";
import { DomainFailure } from "../failure.js";
import { endpointProblem } from "../../outbound/endpoint.js";
import { OUTBOUND_KINDS } from "../../outbound/events.js";
import type { Stmt } from "../events/changes.js";

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
  url: z.string().max(2000).optional().describe("Nuovo endpoint HTTPS (stessi controlli della creazione)"),
  kinds: Kinds.optional(),
  description: z.string().max(200).optional(),
  parallelism: z.number().int().min(1).max(50).optional().describe("Solo amministratori"),
  ratePerSecond: z.number().int().min(1).max(100).optional().describe("Solo amministratori"),
  enabled: z.boolean().optional().describe("false: sospende (gli eventi restano nel registro, non inviati); true: riprende"),
});

/** What only administrators change: the load an endpoint receives is theirs to set. */
const ADMIN_FIELDS = ["parallelism", "ratePerSecond"] as const;

function requireEndpoint(url: string, local: boolean): void {
  const why = endpointProblem(url, local);
  if (why !== null) throw new DomainFailure("invalid_body", `url: ${why}`, { parameter: "url" });
}

/** How the API and the pages show a subscription (never its secrets). */
export function subscriptionView(s: SubscriptionRow) {
  const at = (ms: number | null) => (ms === null ? null : formatRomeInstant(ms));
  return {
    id: s.id, office: s.officeId, url: s.url, description: s.description, kinds: s.kinds, parallelism: s.parallelism, ratePerSecond: s.ratePerSecond,
    status: (s.disabledAt !== null ? (s.disabledReason === "failing" ? "disabled" : "paused") : s.failingSince !== null ? "failing" : "active") as SubscriptionStatus,
    failingSince: at(s.failingSince), flaggedAt: at(s.flaggedAt), disabledAt: at(s.disabledAt), createdAt: at(s.createdAt),
  };
}

/** active; failing: its endpoint refuses now; paused: off by hand; disabled: off by Termini after failing too long. */
type SubscriptionStatus = "active" | "failing" | "paused" | "disabled";

/** The subscriptions a caller may see: every one for administrators, their offices' for staff. */
export function visibleTo(p: Principal, subs: readonly SubscriptionRow[]): SubscriptionRow[] {
  if (p.role === "admin") return [...subs];
  if (!readsCases(p)) return [];
  return subs.filter((s) => p.offices.has(s.officeId));
}

/** A subscription its caller may manage: an administrator, or staff of its office; 404 for anything else. */
export async function ownSubscription(db: Db, p: Principal, id: string): Promise<SubscriptionRow> {
  const s = await getSubscription(db, id);
  // Not found rather than forbidden: another office's endpoints are not even confirmed to exist.
  if (visibleTo(p, [s]).length === 0) throw new DomainFailure("not_found", `Nessun abbonamento ${id}`);
  return s;
}

async function getSubscription(db: Db, id: string): Promise<SubscriptionRow> {
  const s = await db.select().from(subscriptions).where(eq(subscriptions.id, id)).get();
  if (s === undefined) throw new DomainFailure("not_found", `Nessun abbonamento ${id}`);
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
  if ((await directory(db)).get(input.office) === undefined) throw new DomainFailure("unknown_office", `office: nessun ufficio ${input.office}`, { parameter: "office" });
  const row: SubscriptionRow = {
    id: `sub_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`, officeId: input.office, url: input.url, description: input.description, kinds: input.kinds,
    parallelism: input.parallelism, ratePerSecond: input.ratePerSecond, createdAt: who.now, createdBy: who.p.id, disabledAt: null, failingSince: null, flaggedAt: null,
    disabledReason: null,
  };
  const secret = newSecret();
  await db.batch([
    db.insert(subscriptions).values(row),
    db.insert(subscriptionSecrets).values({ id: crypto.randomUUID(), subscriptionId: row.id, secret, createdAt: who.now }),
    auditInsert(db, { actor: who.p.id, action: "subscription.created", caseId: null, requestId: who.requestId, detail: { subscription: row.id, office: row.officeId, kinds: row.kinds } }, who.now),
  ]);
  return { subscription: row, secret };
}

/**
 * `districts`: the other databases holding a copy with its own health (failing since, flagged): a
 * resume starts them afresh too, or a district's old run of failures would disable it again at once.
 */
export async function updateSubscription(db: Db, who: Who, id: string, patch: z.infer<typeof SubscriptionPatch>, districts: readonly Db[] = []): Promise<SubscriptionRow> {
  const current = await ownSubscription(db, who.p, id);
  const reserved = ADMIN_FIELDS.filter((f) => patch[f] !== undefined);
  if (who.p.role !== "admin" && reserved.length > 0) {
    throw new DomainFailure("forbidden", `Il controllo del flusso (${reserved.join(", ")}) lo stabiliscono gli amministratori`);
  }
  if (patch.url !== undefined) requireEndpoint(patch.url, who.local);
  const { enabled, ...fields } = patch;
  const off = enabled === undefined ? current.disabledAt !== null : !enabled;
  // Paused now: by hand. Resumed: a fresh start, its past run of failures forgotten (the next one is flagged anew).
  const state = enabled === undefined ? {} : off
    ? { disabledAt: current.disabledAt ?? who.now, disabledReason: current.disabledAt === null ? "paused" as const : current.disabledReason }
    : { disabledAt: null, disabledReason: null, ...(current.disabledAt === null ? {} : { failingSince: null, flaggedAt: null }) };
  const next: SubscriptionRow = { ...current, ...fields, ...state };
  const action = enabled === undefined || off === (current.disabledAt !== null) ? "subscription.updated" : off ? "subscription.paused" : "subscription.resumed";
  // Where events go is a disclosure decision: the log keeps the address and the kinds before and after.
  const was = { ...(patch.url !== undefined && patch.url !== current.url ? { url: { from: current.url, to: patch.url } } : {}),
    ...(patch.kinds !== undefined ? { kinds: { from: current.kinds, to: patch.kinds } } : {}) };
  await db.batch([
    db.update(subscriptions).set({ ...fields, ...state }).where(eq(subscriptions.id, id)),
    auditInsert(db, { actor: who.p.id, action, caseId: null, requestId: who.requestId, detail: { subscription: id, changed: Object.keys(patch), ...was } }, who.now),
  ]);
  if (action === "subscription.resumed") {
    for (const d of districts) if (d.$client !== db.$client) await d.update(subscriptions).set({ failingSince: null, flaggedAt: null }).where(eq(subscriptions.id, id)).run();
  }
  return next;
}

/**
 * Off by Termini: failing since at least `since`. In the central database (the directory's source, copied
 * to the districts at once by the caller or by the next sweep); true for the call that disabled it.
 */
export async function disableFailing(central: D1Database, id: string, since: number, at: number): Promise<boolean> {
  const [changed] = await central.batch([
    central.prepare("UPDATE subscriptions SET disabled_at = ?1, disabled_reason = 'failing' WHERE id = ?2 AND disabled_at IS NULL").bind(at, id),
    central.prepare(`INSERT INTO audit_log (at, actor, action, case_id, detail, request_id, reason)
      SELECT ?1, 'system:outbound', 'subscription.disabled', NULL, ?3, NULL, NULL WHERE changes() > 0`).bind(at, id, JSON.stringify({ subscription: id, failingSince: since })),
  ]);
  return (changed?.meta.changes ?? 0) > 0;
}

/** A new secret; the ones still valid expire a day from now (not later than they would have). */
export async function rotateSecret(db: Db, who: Who, id: string): Promise<{ secret: string; previousExpiresAt: string }> {
  await ownSubscription(db, who.p, id);
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
