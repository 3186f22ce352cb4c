/**
 * The floor of one ingested event: what any implementation must do, with
 * nothing else. It checks the Standard Webhooks signature (HMAC-SHA256,
 * the secret held in memory), runs the statements Termini runs for a new
 * case's `suspect.registered` — the same seven reads in one batch, the
 * same ten writes in one batch, rows of the same shape and size — and
 * creates one workflow that waits for its first reminder, as Termini's
 * does. No framework, no validation library, no ORM, no legal computation:
 * the deadline is simply 30 days on. Termini's ingestion is measured
 * against this in the same run (bench/ingest.ts).
 */
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";

interface FloorEnv {
  DB: D1Database;
  FLOOR: Workflow<{ instanceId: string; firstAt: number }>;
}

const SECRET = "dGVybWluaS1sb2NhbC1kZW1vLXNlY3JldA==";
const DAY = 86_400_000;
/** A deadline's stored explanation is about this long in Termini (steps, citations, notes). */
const EXPLANATION = JSON.stringify({ basis: "art. 362-bis c.p.p.", steps: Array.from({ length: 6 }, (_, i) => ({ rule: `r${i}`, citation: "art. 172 c.p.p.", text: "x".repeat(180) })) });

export class FloorWorkflow extends WorkflowEntrypoint<FloorEnv, { instanceId: string; firstAt: number }> {
  override async run(event: WorkflowEvent<{ instanceId: string; firstAt: number }>, step: WorkflowStep): Promise<void> {
    try {
      await step.waitForEvent("wake", { type: "replan", timeout: Math.max(1000, event.payload.firstAt - event.timestamp.getTime()) });
    } catch {
      // The first reminder is due; the floor stops here.
    }
  }
}

let key: Promise<CryptoKey> | undefined;

async function signed(req: Request, body: string): Promise<boolean> {
  const [id, ts, sig] = ["webhook-id", "webhook-timestamp", "webhook-signature"].map((h) => req.headers.get(h));
  if (!id || !ts || !sig) return false;
  key ??= crypto.subtle.importKey("raw", Uint8Array.from(atob(SECRET), (c) => c.charCodeAt(0)), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const mac = Uint8Array.from(atob(sig.split(" ")[0]!.slice(3)), (c) => c.charCodeAt(0));
  return crypto.subtle.verify("HMAC", await key, mac, new TextEncoder().encode(`${id}.${ts}.${body}`));
}

async function ingest(req: Request, env: FloorEnv): Promise<Response> {
  const text = await req.text();
  if (!(await signed(req, text))) return new Response(null, { status: 401 });
  const ev = JSON.parse(text) as { type: string; caseRef: string; occurredAt: string };
  const webhookId = req.headers.get("webhook-id")!;
  const idempotencyKey = `webhook:demo:${webhookId}`;
  const db = env.DB;
  const ofRef = "SELECT c.id FROM cases c JOIN offices o ON o.id = c.owner_office_id WHERE c.ref = ?";
  const reads = await db.batch([
    db.prepare("SELECT stamp FROM directory_stamp"),
    db.prepare("SELECT e.*, c.ref FROM events e JOIN cases c ON c.id = e.case_id WHERE e.idempotency_key = ?").bind(idempotencyKey),
    db.prepare("SELECT c.*, o.jurisdiction FROM cases c JOIN offices o ON o.id = c.owner_office_id WHERE c.ref = ? LIMIT 50").bind(ev.caseRef),
    db.prepare(`SELECT * FROM case_offices WHERE case_id IN (${ofRef})`).bind(ev.caseRef),
    db.prepare(`SELECT * FROM timeline_instances WHERE case_id IN (${ofRef}) ORDER BY started_at`).bind(ev.caseRef),
    db.prepare(`SELECT * FROM deadlines WHERE instance_id IN (SELECT id FROM timeline_instances WHERE case_id IN (${ofRef}) AND status = 'running') ORDER BY due_at_ms`).bind(ev.caseRef),
    db.prepare("SELECT status, body FROM webhook_deliveries WHERE sender_id = ? AND webhook_id = ?").bind("demo", webhookId),
  ]);
  if (reads[6]!.results.length > 0) return new Response(String((reads[6]!.results[0] as { body: string }).body), { status: 200 });
  if (reads[2]!.results.length > 0) return new Response(null, { status: 409 });

  const now = Date.now();
  const at = Date.parse(ev.occurredAt);
  const [caseId, eventId, instanceId] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
  const deadlineId = `${instanceId}.pm-assessment`;
  const due = at + 30 * DAY;
  const rungs = [["reminder-7d", due - 7 * DAY], ["reminder-2d", due - 2 * DAY], ["reminder-due-day", due - DAY / 2], ["escalation-1", due], ["escalation-2", due + 3 * DAY]] as const;
  const body = JSON.stringify({
    event: { id: eventId, type: ev.type, occurredAt: ev.occurredAt }, case: { ref: ev.caseRef }, replayed: false,
    timelines: [{ timeline: "362-bis", version: 1, instanceId, status: "running" }],
    deadlines: [{ id: deadlineId, stage: "pm-assessment", office: "procura-torino", status: "open", dueAt: new Date(due).toISOString(), dueDate: null }],
  });
  const writes = await db.batch([
    db.prepare("INSERT INTO cases (id, ref, owner_office_id, created_at, created_by, last_activity_at) VALUES (?, ?, ?, ?, ?, ?)").bind(caseId, ev.caseRef, "procura-torino", now, "sender:demo", now),
    db.prepare("INSERT INTO events (id, idempotency_key, case_id, type, occurred_at, occurred_at_ms, data, source, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(eventId, idempotencyKey, caseId, ev.type, ev.occurredAt, at, '{"jurisdiction":"TO"}', "sender:demo", now),
    db.prepare("INSERT INTO case_offices (case_id, office_id, role, case_created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING").bind(caseId, "procura-torino", "procura", now),
    db.prepare("INSERT INTO case_offices (case_id, office_id, role, case_created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING").bind(caseId, "gip-torino", "gip", now),
    db.prepare("INSERT INTO timeline_instances (id, case_id, timeline, version, status, started_by_event, started_at, closed_at, workflow_id) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)")
      .bind(instanceId, caseId, "362-bis", 1, "running", eventId, now, instanceId),
    db.prepare("INSERT INTO stat_counters (month, office_id, metric, value) VALUES (?, ?, ?, ?) ON CONFLICT (month, office_id, metric) DO UPDATE SET value = value + ?")
      .bind(new Date(at).toISOString().slice(0, 7), "procura-torino", "362-bis.opened", 1, 1),
    db.prepare("INSERT INTO deadlines (id, instance_id, stage, seq, office_id, started_by_event, started_at_ms, due_at, due_at_ms, due_date, status, outcome, explanation, closed_at_ms, closed_by_event) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL, ?, NULL, NULL)")
      .bind(deadlineId, instanceId, "pm-assessment", 1, "procura-torino", eventId, at, new Date(due).toISOString(), due, "open", EXPLANATION),
    db.prepare(`INSERT INTO notifications (id, deadline_id, instance_id, rung, kind, office_id, recipients, send_at_ms, status, attempts) VALUES ${rungs.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', 0)").join(", ")}`)
      .bind(...rungs.flatMap(([rung, sendAt]) => [`${deadlineId}.${rung}`, deadlineId, instanceId, rung, rung.startsWith("reminder") ? "reminder" : "escalation", "procura-torino", '["procura.torino@example.org"]', sendAt])),
    db.prepare("INSERT INTO audit_log (id, at, actor, action, case_id, detail, request_id) VALUES (NULL, ?, ?, ?, ?, ?, ?)")
      .bind(now, "sender:demo", "event.recorded", caseId, JSON.stringify({ eventId, type: ev.type, occurredAt: ev.occurredAt }), crypto.randomUUID()),
    db.prepare("INSERT INTO webhook_deliveries (sender_id, webhook_id, status, body, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING").bind("demo", webhookId, 201, body, now),
  ]);
  await env.FLOOR.create({ id: instanceId, params: { instanceId, firstAt: rungs[0][1] } });
  const rows = (k: "rows_read" | "rows_written") => [...reads, ...writes].reduce((s, r) => s + ((r.meta as Record<string, number>)[k] ?? 0), 0);
  return new Response(body, {
    status: 201,
    headers: {
      "Content-Type": "application/json", "X-D1-Calls": "2", "X-D1-Sequential": "2", "X-D1-Queries": String(reads.length + writes.length),
      "X-D1-Rows-Read": String(rows("rows_read")), "X-D1-Rows-Written": String(rows("rows_written")),
    },
  });
}

export default {
  async fetch(req: Request, env: FloorEnv): Promise<Response> {
    const path = new URL(req.url).pathname;
    if (path === "/healthz") return Response.json({ status: "ok" });
    if (req.method === "POST" && path === "/webhooks/events") return ingest(req, env);
    return new Response(null, { status: 404 });
  },
} satisfies ExportedHandler<FloorEnv>;
