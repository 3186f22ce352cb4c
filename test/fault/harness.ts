/**
 * A bad day, on purpose: signed events sent in a burst to a real `wrangler
 * dev`, the server killed (SIGKILL) in the middle of the burst and started
 * again on the same state, the email provider (the faithful fake Resend)
 * down for a while, the cron sweep run as the cron would. Senders retry
 * what was not acknowledged with the same webhook-id, as Standard Webhooks
 * senders do. Then it counts: events sent, acknowledged and found;
 * notifications expected, delivered, duplicated and missing; the audit
 * log's and the report counters' view of the same messages.
 *
 * Each registration is 40 days old, so both escalations of its 30-day term
 * are due at once: two messages per event, to the Procuratore and the PG —
 * several of them due together reach each office in one digest, so a message
 * counts as delivered when its own key or its digest's reached the provider.
 *
 * With `districts`, the run uses wrangler.jsonc's district layout: every
 * other event is Milan's (sent by Milan's system), the rest Turin's, each
 * case in its district's database, the sweep visiting both at once.
 */
import { createHmac } from "node:crypto";
import { DISTRICT_BINDINGS, DevServer, freshState, queries } from "../../bench/dev-server.js";
import { startFakeResend } from "../fake-resend/server.js";
import type { Delivered } from "../fake-resend/server.js";

export interface FaultOptions {
  port: number;
  events: number;
  /** The server is killed when this many events have been acknowledged. */
  killAt: number;
  /** The provider answers 503 to everything for this long, starting when the server comes back. */
  outageMs: number;
  /** The provider takes this long over each email, so that the kill finds sends it has accepted but not answered. */
  providerDelayMs: number;
  /** Rounds of 20 concurrent deliveries of one webhook-id, sent before the burst. */
  duplicateRounds: number;
  concurrency: number;
  /** Delivery settings for the run (milliseconds). */
  mail: { timeoutMs: number; retryBaseMs: number; retryMaxMs: number };
  sweepEveryMs: number;
  /** Give up waiting for the last deliveries after this long. */
  settleMs: number;
  log: (line: string) => void;
  /** wrangler.jsonc's district layout (Turin and Milan) instead of one database. */
  districts?: boolean;
}

export interface FaultReport {
  /** Rounds in which every one of 20 concurrent duplicates got the first response. */
  duplicates: { rounds: number; allFirst: number };
  events: { sent: number; requests: number; acknowledged: number; found: number };
  notifications: { expected: number; delivered: number; duplicated: number; missing: number };
  audit: { sent: number };
  counters: { escalated: number };
  /** replayed: messages the provider was asked for again after a crash or timeout, and answered with the first id. */
  provider: { requests: number; refused: number; replayed: number };
  rows: Record<string, number>;
  /** The run's cases in each database of the layout. */
  cases: Record<string, number>;
  seconds: number;
}

const SECRETS = {
  TO: Buffer.from("dGVybWluaS1sb2NhbC1kZW1vLXNlY3JldA==", "base64"),
  MI: Buffer.from("dGVybWluaS1sb2NhbC1taWxhbm8tc2VjcmV0", "base64"),
};
const DAY = 86_400_000;

/** A registration 40 days old, signed by the district's demo system. */
function signed(ref: string, id: string, district: "TO" | "MI" = "TO"): { id: string; init: () => RequestInit } {
  const body = JSON.stringify({ type: "suspect.registered", caseRef: ref, occurredAt: new Date(Date.now() - 40 * DAY).toISOString(), data: { jurisdiction: district } });
  return {
    id,
    init: () => {
      const ts = Math.floor(Date.now() / 1000);
      const sig = `v1,${createHmac("sha256", SECRETS[district]).update(`${id}.${ts}.${body}`).digest("base64")}`;
      return { method: "POST", body, headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": sig } };
    },
  };
}

/** Every one of 20 concurrent deliveries of the same webhook-id must get the first response. */
async function duplicateRounds(server: DevServer, rounds: number): Promise<{ rounds: number; allFirst: number }> {
  let allFirst = 0;
  for (let round = 0; round < rounds; round++) {
    const event = signed(`${2_000_000 + round}/2026`, `msg_duplicate_${round}`);
    const all = await Promise.all(Array.from({ length: 20 }, async () => {
      const res = await fetch(`${server.base}/webhooks/events`, event.init());
      return `${res.status} ${await res.text()}`;
    }));
    if (new Set(all).size === 1 && all[0]!.startsWith("201 ")) allFirst++;
  }
  return { rounds, allFirst };
}

/**
 * Whether the service records as sent every message the provider delivered (the admin's outbox),
 * and at least `escalations` escalations as sent (alone, or in a digest).
 */
async function recordedAll(base: string, delivered: ReadonlySet<string | null>, escalations: number): Promise<boolean> {
  try {
    const res = await fetch(`${base}/api/v1/outbox?limit=500`, { headers: { Authorization: "Bearer termini-local-demo-token" } });
    const { messages } = (await res.json()) as { messages: { id: string; status: string; kind: string }[] };
    const sent = new Set(messages.filter((m) => m.status === "sent").map((m) => m.id));
    const escalated = messages.filter((m) => m.status === "sent" && m.kind === "escalation").length;
    return escalated >= escalations && [...delivered].every((k) => k === null || sent.has(k));
  } catch {
    return false;
  }
}

/** Sends every event until acknowledged, killing and restarting the server once, at `killAt`. */
async function burst(server: DevServer, o: FaultOptions, onRestart: () => Promise<void>): Promise<{ requests: number; acknowledged: number }> {
  const queue = Array.from({ length: o.events }, (_, i) => signed(`${3_000_000 + i}/2026`, `msg_fault_${i}`, o.districts === true && i % 2 === 1 ? "MI" : "TO"));
  const acknowledged = new Set<string>();
  let requests = 0;
  let restarting: Promise<void> | undefined;
  let killed = false;
  await Promise.all(Array.from({ length: o.concurrency }, async () => {
    while (acknowledged.size < o.events) {
      await restarting;
      const next = queue.shift();
      if (next === undefined) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      requests++;
      try {
        const res = await fetch(`${server.base}/webhooks/events`, next.init());
        await res.arrayBuffer();
        if (res.status === 201) acknowledged.add(next.id);
        else queue.push(next);
      } catch {
        queue.push(next); // not acknowledged: the sender tries again with the same webhook-id
      }
      if (!killed && acknowledged.size >= o.killAt) {
        killed = true;
        o.log(`killing the server after ${acknowledged.size} acknowledged events, with requests in flight`);
        restarting = (async () => {
          await server.kill();
          await server.start();
          o.log("server restarted on the same state");
          await onRestart();
        })();
      }
    }
  }));
  return { requests, acknowledged: acknowledged.size };
}

export async function faultRun(o: FaultOptions): Promise<FaultReport> {
  const t0 = Date.now();
  const state = `.wrangler/fault-state-${o.port}`;
  const bindings: readonly string[] = o.districts === true ? DISTRICT_BINDINGS : ["DB"];
  await freshState(state, undefined, bindings);

  const { server: fakeServer, url } = await startFakeResend();
  const account = "re_fault";
  const control = async (action: string, body?: unknown) =>
    (await fetch(`${url}/__control/${action}?account=${account}`, { method: "POST", body: body === undefined ? undefined : JSON.stringify(body) })).json();
  const server = new DevServer(o.port, state, [
    "--test-scheduled", "--var", `APP_BASE_URL:http://localhost:${o.port}`, "--var", `RESEND_API_KEY:${account}`, "--var", `RESEND_BASE_URL:${url}`,
    "--var", `MAIL_TIMEOUT_MS:${o.mail.timeoutMs}`, "--var", `MAIL_RETRY_BASE_MS:${o.mail.retryBaseMs}`, "--var", `MAIL_RETRY_MAX_MS:${o.mail.retryMaxMs}`,
    ...(o.districts === true ? ["--var", "DISTRICTS:TO,MI"] : []),
  ]);
  let outageEnds = 0;
  let sweeping = true;
  try {
    await server.start();
    // The first sweep copies the directory into the districts' databases (events are routed there).
    await server.cron();
    // Turin's offices' mail is slow, so that the kill finds sends the provider accepted but had not answered.
    for (const to of ["procuratore.torino@example.org", "pg.torino@example.org"]) await control("script", { to, delayMs: o.providerDelayMs });
    const duplicates = await duplicateRounds(server, o.duplicateRounds);
    let sweeps = 0;
    const sweeper = (async () => {
      while (sweeping) {
        await new Promise((r) => setTimeout(r, o.sweepEveryMs));
        try {
          await server.cron();
          sweeps++;
        } catch {
          // the server is down or restarting: the next tick tries again
        }
      }
    })();
    const sent = await burst(server, o, async () => {
      await control("outage", { status: 503 });
      outageEnds = Date.now() + o.outageMs;
      o.log(`provider down for ${Math.round(o.outageMs / 1000)} s`);
      setTimeout(() => { void control("outage", { status: null }).then(() => o.log("provider back")); }, o.outageMs);
    });
    o.log(`${sent.acknowledged} of ${o.events} events acknowledged in ${sent.requests} requests`);
    // Two escalations for every event, the burst's and the duplicate rounds'.
    const expected = 2 * (o.events + o.duplicateRounds);
    const deadline = Math.max(Date.now(), outageEnds) + o.settleMs;
    for (;;) {
      const delivered = new Set(((await control("delivered")) as Delivered[]).map((d) => d.idempotencyKey));
      // Settled when the provider has every message and the service has recorded each as sent: a
      // message the provider took while its sender timed out is recorded by the retry (same key),
      // which on a busy machine can come well after the provider's copy.
      const settled = Date.now() > outageEnds && (await recordedAll(server.base, delivered, expected));
      if (settled || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    // Two more sweeps completed, so that anything still in flight settles (or shows up as doubled).
    for (const after = sweeps + 2; sweeps < after; ) await new Promise((r) => setTimeout(r, 100));
    sweeping = false;
    await sweeper;
    // Stopped and gone: whatever it was still doing has ended before the provider and the databases are read.
    await server.stop();

    const delivered = (await control("delivered")) as Delivered[];
    const providerRequests = (await control("requests")) as { status: number; idempotencyKey: string | null }[];
    const accepted = new Map<string, number>();
    for (const r of providerRequests) if (r.status === 200) accepted.set(r.idempotencyKey ?? "", (accepted.get(r.idempotencyKey ?? "") ?? 0) + 1);
    const perKey = new Map<string, number>();
    for (const d of delivered) perKey.set(d.idempotencyKey ?? "", (perKey.get(d.idempotencyKey ?? "") ?? 0) + 1);
    const perMessage = new Map<string, number>();
    // The same email sent under two keys (a digest's subject repeats; its list of cases does not).
    const content = (d: Delivered) => `${d.to.join(",")}|${d.subject}|${d.text}`;
    for (const d of delivered) perMessage.set(content(d), (perMessage.get(content(d)) ?? 0) + 1);
    // The run's own cases (the cron also opens the reporting obligations due at this time of year):
    // the burst's events, 3xxxxxx/2026, and the duplicate rounds', 2xxxxxx/2026.
    const ours = "SELECT i.id FROM timeline_instances i JOIN cases c ON c.id = i.case_id WHERE c.ref GLOB '[23][0-9][0-9][0-9][0-9][0-9][0-9]/2026'";
    // Every figure from every database of the layout, one batch per database (one after the other: see scripts/local-d1.mjs).
    const per: Record<string, unknown>[][][] = [];
    for (const b of bindings) per.push(await queries(state, [
      `SELECT id, digest_id FROM notifications WHERE kind = 'escalation' AND instance_id IN (${ours})`,
      `SELECT status, count(*) AS n FROM notifications WHERE kind = 'escalation' AND instance_id IN (${ours}) GROUP BY status`,
      "SELECT count(*) AS n FROM cases WHERE ref GLOB '3[0-9][0-9][0-9][0-9][0-9][0-9]/2026'",
      // Each message once; a digest's own entry (the email that carried several) is not a message.
      `SELECT count(*) AS n FROM audit_log WHERE action = 'notification.sent' AND json_extract(detail, '$.rung') NOT LIKE '%/digest' AND case_id IN (SELECT case_id FROM timeline_instances WHERE id IN (${ours}))`,
      // Counters name no case; the obligations the cron opens are opened before their due date, so none escalates within a run.
      "SELECT sum(value) AS n FROM stat_counters WHERE metric LIKE '%:escalated'",
      "SELECT count(*) AS n FROM cases WHERE ref GLOB '[23][0-9][0-9][0-9][0-9][0-9][0-9]/2026'",
    ], undefined, b));
    const total = (i: number) => per.reduce((n, r) => n + Number(r[i]![0]?.n ?? 0), 0);
    // An escalation reaches the office alone (its own key) or in a digest (the digest's key).
    const escalations = per.flatMap((r) => r[0]!) as { id: string; digest_id: string | null }[];
    const reached = (e: { id: string; digest_id: string | null }) => perKey.has(e.id) || (e.digest_id !== null && perKey.has(e.digest_id));
    const rows: Record<string, number> = {};
    for (const r of per.flatMap((x) => x[1]!) as { status: string; n: number }[]) rows[r.status] = (rows[r.status] ?? 0) + r.n;
    return {
      events: {
        sent: o.events, requests: sent.requests, acknowledged: sent.acknowledged,
        found: total(2),
      },
      notifications: {
        expected: escalations.length,
        delivered: escalations.filter(reached).length,
        duplicated: [...perKey.values()].filter((n) => n > 1).length + [...perMessage.values()].filter((n) => n > 1).length,
        missing: escalations.filter((e) => !reached(e)).length,
      },
      audit: { sent: total(3) },
      counters: { escalated: total(4) },
      provider: {
        requests: providerRequests.length, refused: providerRequests.filter((r) => r.status !== 200).length,
        replayed: [...accepted.values()].filter((n) => n > 1).length,
      },
      duplicates,
      rows,
      cases: Object.fromEntries(bindings.map((b, i) => [b, Number(per[i]![5]![0]!.n)])),
      seconds: Math.round((Date.now() - t0) / 1000),
    };
  } finally {
    sweeping = false;
    await server.stop();
    await new Promise<void>((r) => fakeServer.close(() => r()));
  }
}
