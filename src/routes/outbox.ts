/** GET /api/v1/outbox — admins: every intended message with its delivery status (and its text, locally). */
import { REASON_HEADER_DOC, requestReason } from "../http/reason.js";
import { formatRomeInstant } from "../engine/rome.js";
import { desc, eq } from "drizzle-orm";
import * as z from "zod";
import { requireAdmin } from "../auth/principal.js";
import { caseDbs } from "../db/districts.js";
import { mergeAudited } from "../domain/districts/district-reads.js";
import { mailOutbox, notifications, outbox } from "../db/schema.js";
import { deliveryCounts, deliverySummary } from "../db/delivery.js";
import { isLocal } from "../deployment.js";
import { integerParam, parseQuery } from "../http/query.js";
import { AUTH_PROBLEMS, QUERY_PROBLEMS, contract } from "../http/contract.js";
import { createRouter } from "../http/router.js";

export const outboxRoute = createRouter();

const Query = z.strictObject({ limit: integerParam(1, 500).default(100) });

outboxRoute.get("/", async (c) => {
  const reason = requestReason(c);
  requireAdmin(c.get("principal"));
  const q = parseQuery(c, Query, { limit: "1-500" });
  // Every district's newest, merged; each district audits its own messages read.
  const parts = await Promise.all(caseDbs(c.env).map(async (db) => {
    const rows = await db.select({ n: notifications, m: outbox }).from(notifications)
      .leftJoin(outbox, eq(outbox.notificationId, notifications.id)).orderBy(desc(notifications.sendAtMs)).limit(q.limit).all();
    // Sign-in links too: locally, the outbox is where they arrive. Only there: anywhere else a
    // live link in this list would open someone else's session.
    const mail = isLocal(c.env) ? await db.select().from(mailOutbox).orderBy(desc(mailOutbox.createdAt)).limit(q.limit).all() : [];
    return { db, rows, mail, counts: await deliveryCounts(db) };
  }));
  const mail = parts.flatMap((p) => p.mail).sort((a, b) => b.createdAt - a.createdAt).slice(0, q.limit);
  // Subjects carry case references: reading them is reading case data.
  const rows = await mergeAudited(parts.map((p) => ({ db: p.db, found: p.rows })), (a, b) => b.n.sendAtMs - a.n.sendAtMs, q.limit, (mine) => ({
    actor: c.get("principal").id, action: "outbox.read", detail: { messages: mine.length }, requestId: c.get("requestId"), reason,
  }), Date.now());
  return c.json({
    delivery: deliverySummary(parts.map((p) => p.counts)),
    mail: mail.map((m) => ({ id: m.id, to: m.recipients, subject: m.subject, text: m.text, createdAt: formatRomeInstant(m.createdAt) })),
    messages: rows.map(({ n, m }) => ({
      id: n.id, rung: n.rung, kind: n.kind, office: n.officeId, to: n.recipients, status: n.status,
      sendAt: formatRomeInstant(n.sendAtMs), sentAt: n.sentAtMs === null ? null : formatRomeInstant(n.sentAtMs),
      attempts: n.attempts, error: n.lastError, retryAt: n.retryAtMs === null ? null : formatRomeInstant(n.retryAtMs),
      subject: m?.subject ?? null, text: m?.text ?? null,
    })),
  });
});

export const outboxContracts = [contract({
  method: "get", path: "/api/v1/outbox", operationId: "listOutbox", tag: "Amministrazione", security: "bearer", headers: [REASON_HEADER_DOC], summary: "Messaggi e stato di recapito, con il riepilogo (amministratori)",
  query: Query, problems: [...AUTH_PROBLEMS, ...QUERY_PROBLEMS],
  responses: {
    200: {
      description: "Messaggi, i più recenti per primi",
      schema: z.object({
        delivery: z.object({
          retrying: z.number().int(), failingSince: z.string().nullable(), failed: z.number().int(), obligationsNotOpened: z.number().int(), workflowsNotRunning: z.number().int(),
        }).describe("Riepilogo: messaggi in nuovo tentativo, falliti, obblighi non aperti, scadenzari senza processo attivo"),
        mail: z.array(z.object({ id: z.string(), to: z.array(z.string()), subject: z.string(), text: z.string(), createdAt: z.string() })).describe("Solo in sviluppo locale: la posta di servizio (link di accesso)"),
        messages: z.array(z.object({
          id: z.string(), rung: z.string(), kind: z.string(), office: z.string(), to: z.array(z.string()), status: z.string(), sendAt: z.string(), sentAt: z.string().nullable(),
          attempts: z.number().int(), error: z.string().nullable(), retryAt: z.string().nullable(), subject: z.string().nullable(), text: z.string().nullable(),
        })),
      }),
    },
  },
})];
