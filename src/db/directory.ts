/**
 * The office directory (who acts, whom each office escalates to), the
 * webhook senders (their offices, trusted event types and secrets) and the
 * outbound subscriptions (who wants which events, signed with what).
 *
 * Both change rarely and every event reads them, so each isolate keeps one
 * copy in memory, tagged with the database's directory stamp: a random
 * value every change replaces (migration 0011). Whoever reads the stamp in
 * a batch of its own — the event path does, with the case — passes it in
 * and gets the copy at no cost when it is current; anyone else pays one
 * one-row read to check it. A copy is never used for longer than MAX_AGE_MS
 * without its stamp being checked.
 */
import { type SenderSecret, verifyingKey } from "../auth/standard-webhooks.js";
import type { Db } from "./client.js";
import { directoryStamp, offices, senderEventTypes, senderOffices, subscriptionSecrets, subscriptions, webhookSecrets } from "./schema.js";

export type Office = typeof offices.$inferSelect;
export type Subscription = typeof subscriptions.$inferSelect;
type SubscriptionSecret = typeof subscriptionSecrets.$inferSelect;

/** National offices (the Ministry, the Dipartimento) have jurisdiction IT. */
export const NATIONAL = "IT";

/** A copy trusted without checking its stamp (the webhook's signature check) is at most this old. */
const MAX_AGE_MS = 60_000;

interface Sender {
  offices: Set<string>;
  trustedEvents: Set<string>;
}

interface Secret extends SenderSecret {
  expiresAt: number | null;
}

export class Directory {
  private readonly byId: Map<string, Office>;
  private readonly senders = new Map<string, Sender>();
  private readonly keys = new Map<string, Promise<CryptoKey> | undefined>();

  constructor(
    readonly stamp: string,
    /** When the stamp was last found current. */
    public checkedAt: number,
    readonly offices: readonly Office[],
    private readonly secrets: readonly Secret[],
    links: { senderOffices: { senderId: string; officeId: string }[]; senderEvents: { senderId: string; eventType: string }[] },
    /** Outbound subscriptions still enabled, and their signing secrets. */
    readonly subscriptions: readonly Subscription[] = [],
    private readonly subscriptionSecrets: readonly SubscriptionSecret[] = [],
    /** Subscriptions paused or disabled: their events are recorded (the event log), never sent. */
    private readonly paused: readonly Subscription[] = [],
  ) {
    this.byId = new Map(offices.map((o) => [o.id, o]));
    const sender = (id: string) => this.senders.get(id) ?? this.senders.set(id, { offices: new Set(), trustedEvents: new Set() }).get(id)!;
    for (const l of links.senderOffices) sender(l.senderId).offices.add(l.officeId);
    for (const l of links.senderEvents) sender(l.senderId).trustedEvents.add(l.eventType);
  }

  get(id: string): Office | undefined {
    return this.byId.get(id);
  }

  /** The offices among `ids` that exist. */
  getMany(ids: Iterable<string>): Map<string, Office> {
    const out = new Map<string, Office>();
    for (const id of ids) {
      const o = this.byId.get(id);
      if (o !== undefined) out.set(id, o);
    }
    return out;
  }

  /** Offices of these kinds in a district, and national ones. */
  ofKinds(kinds: readonly string[], jurisdiction: string): Office[] {
    return this.offices.filter((o) => kinds.includes(o.kind) && (o.jurisdiction === jurisdiction || o.jurisdiction === NATIONAL));
  }

  /** Every office of a kind, in every district, by id. */
  allOfKind(kind: string): Office[] {
    return this.offices.filter((o) => o.kind === kind).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** The escalation chain above an office, nearest first, up to `levels` steps; a cycle ends it. */
  chain(from: Office, levels: number): Office[] {
    const out: Office[] = [];
    const seen = new Set([from.id]);
    for (let at = from.escalatesTo; at !== null && out.length < levels && !seen.has(at); ) {
      const o = this.byId.get(at);
      if (o === undefined) break;
      out.push(o);
      seen.add(at);
      at = o.escalatesTo;
    }
    return out;
  }

  /** The offices that may see a case of `officeIds`: those offices and every office above them. */
  withSuperiors(officeIds: Iterable<string>): Set<string> {
    const all = new Set<string>();
    for (const id of officeIds) {
      for (let o = this.byId.get(id); o !== undefined && !all.has(o.id); o = o.escalatesTo === null ? undefined : this.byId.get(o.escalatesTo)) {
        all.add(o.id);
      }
    }
    return all;
  }

  /** The offices whose escalation chain reaches any of these: a head of office oversees them. */
  below(officeIds: readonly string[]): string[] {
    const heads = new Set(officeIds);
    return this.offices.filter((o) => this.chain(o, Infinity).some((up) => heads.has(up.id))).map((o) => o.id);
  }

  /** Secrets valid at `now` (several per sender while one is being rotated), each with its key imported once per copy. */
  activeSecrets(now: number): SenderSecret[] {
    return this.secrets.filter((s) => s.expiresAt === null || s.expiresAt > now).map(({ senderId, secretId, secret }) => ({
      senderId, secretId, secret,
      key: () => {
        if (!this.keys.has(secretId)) this.keys.set(secretId, verifyingKey(secret));
        return this.keys.get(secretId);
      },
    }));
  }

  /** The enabled subscriptions of these offices that want this kind of event. */
  subscribers(kind: string, officeIds: ReadonlySet<string>): Subscription[] {
    return this.subscriptions.filter((s) => officeIds.has(s.officeId) && s.kinds.includes(kind));
  }

  /** Whether this subscription is there but off (paused, or disabled after failing). */
  isOff(id: string): boolean {
    return this.paused.some((s) => s.id === id);
  }

  /** Whether any subscription exists, on or off: without one, no event is worked out at all. */
  get anySubscription(): boolean {
    return this.subscriptions.length + this.paused.length > 0;
  }

  /** The same among subscriptions that are off: the event goes in their log, unsent. */
  pausedSubscribers(kind: string, officeIds: ReadonlySet<string>): Subscription[] {
    return this.paused.filter((s) => officeIds.has(s.officeId) && s.kinds.includes(kind));
  }

  /** Whether any subscription, on or off, wants this kind: when none does, an event reads and writes nothing for it. */
  wants(kind: string): boolean {
    return this.subscriptions.some((s) => s.kinds.includes(kind)) || this.paused.some((s) => s.kinds.includes(kind));
  }


  subscription(id: string): Subscription | undefined {
    return this.subscriptions.find((s) => s.id === id);
  }

  /** A subscription's secrets valid at `now`, newest first: during a rotation each message is signed with both. */
  signingSecrets(subscriptionId: string, now: number): string[] {
    return this.subscriptionSecrets.filter((s) => s.subscriptionId === subscriptionId && (s.expiresAt === null || s.expiresAt > now))
      .sort((a, b) => b.createdAt - a.createdAt).map((s) => s.secret);
  }

  senderOffices(senderId: string): Set<string> {
    return new Set(this.senders.get(senderId)?.offices);
  }

  /** Event types the sender may record whatever office is responsible. */
  senderTrustedEvents(senderId: string): Set<string> {
    return new Set(this.senders.get(senderId)?.trustedEvents);
  }
}

let cached: Directory | undefined;
/** The central directory's stamp as last read, and when (a district's copy bearing it is current). */
let central: { stamp: string; at: number } | undefined;

/** Whether the directory in memory knows every one of these offices (one it does not may have been added since). */
export function knowsOffices(ids: Iterable<string>): boolean {
  if (cached === undefined) return false;
  for (const id of ids) if (cached.get(id) === undefined) return false;
  return true;
}

/** The central stamp read within MAX_AGE_MS, if any. */
export function recentCentralStamp(now: number): string | undefined {
  return central !== undefined && now - central.at < MAX_AGE_MS ? central.stamp : undefined;
}

/** Notes a stamp just read from the central database (a handle with no `central` of its own is the central one, or the only one). */
export function noteStamp(db: Db, stamp: string, now: number): void {
  if (db.central === undefined) central = { stamp, at: now };
}

/** The statement that reads the stamp, for a caller's own batch. */
export function stampQuery(db: Db) {
  return db.select({ stamp: directoryStamp.stamp }).from(directoryStamp);
}

async function load(db: Db, now: number): Promise<Directory> {
  const [stamp, rows, secrets, links, events, subs, subSecrets] = await db.batch([
    stampQuery(db), db.select().from(offices), db.select().from(webhookSecrets), db.select().from(senderOffices), db.select().from(senderEventTypes),
    db.select().from(subscriptions), db.select().from(subscriptionSecrets),
  ]);
  noteStamp(db, stamp[0]?.stamp ?? "", now);
  cached = new Directory(
    stamp[0]?.stamp ?? "", now, rows,
    secrets.map((s) => ({ senderId: s.senderId, secretId: s.id, secret: s.secret, expiresAt: s.expiresAt })),
    { senderOffices: links, senderEvents: events }, subs.filter((s) => s.disabledAt === null), subSecrets, subs.filter((s) => s.disabledAt !== null),
  );
  return cached;
}

/**
 * The directory as the database has it now. `stamp`: the stamp the caller
 * has just read in its own batch; without it, one read checks the copy.
 */
export async function directory(db: Db, stamp?: string, now = Date.now()): Promise<Directory> {
  const current = stamp ?? (await stampQuery(db).get())?.stamp;
  if (stamp === undefined && current !== undefined) noteStamp(db, current, now);
  if (cached !== undefined && cached.stamp === current) {
    cached.checkedAt = now;
    return cached;
  }
  return load(db, now);
}

/**
 * The copy in memory, without checking it, if it is younger than
 * MAX_AGE_MS: for a first look (which sender signed this?) that the caller
 * confirms with the stamp it reads next.
 */
export async function recentDirectory(db: Db, now: number): Promise<Directory> {
  if (cached !== undefined && now - cached.checkedAt < MAX_AGE_MS) return cached;
  return load(db, now);
}

/** Lookups for pages and jobs outside the event path: one stamp read, then memory. */
export async function getOffice(db: Db, id: string): Promise<Office | undefined> {
  return (await directory(db)).get(id);
}

export async function getOffices(db: Db, ids: readonly string[]): Promise<Map<string, Office>> {
  return ids.length === 0 ? new Map() : (await directory(db)).getMany(ids);
}
