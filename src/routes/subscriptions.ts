/**
 * /api/v1/subscriptions — administrators manage outbound webhook
 * subscriptions: create (the secret is in that answer only), change,
 * rotate the secret, send a test event, read deliveries and the
 * dead-letter queue, replay a delivery. Every change is audited.
 */
import { type Context, Hono } from "hono";
import * as z from "zod";
import type { AppEnv } from "../env.js";
import { requireAdmin } from "../auth/principal.js";
import { database } from "../db/client.js";
import { attemptsOf, deliveriesOf } from "../db/outbound.js";
import { isLocal } from "../deployment.js";
import {
  SubscriptionBody, SubscriptionPatch, createSubscription, getSubscription, listSubscriptions, rotateSecret, subscriptionView, updateSubscription,
} from "../domain/subscriptions.js";
import { formatRomeInstant } from "../engine/rome.js";
import { jsonBody } from "../http/body.js";
import { integerParam, parseQuery } from "../http/query.js";
import { outboundContext } from "../outbound/context.js";
import { replay, sendTest } from "../outbound/manual.js";

export const subscriptionRoutes = new Hono<AppEnv>();

subscriptionRoutes.use(async (c, next) => {
  requireAdmin(c.get("principal"));
  await next();
});

const who = (c: Context<AppEnv>) => ({
  p: c.get("principal"), requestId: c.get("requestId"), now: Date.now(), local: isLocal(c.env),
});

subscriptionRoutes.get("/", async (c) => {
  const rows = await listSubscriptions(database(c.env.DB));
  return c.json({ subscriptions: rows.map(subscriptionView) });
});

subscriptionRoutes.post("/", async (c) => {
  const body = await jsonBody(c.req.raw, SubscriptionBody);
  const { subscription, secret } = await createSubscription(database(c.env.DB), who(c), body);
  // The only time the secret is shown: the receiver keeps it to verify signatures.
  return c.json({ ...subscriptionView(subscription), secret }, 201);
});

const DeliveriesQuery = z.strictObject({
  status: z.enum(["pending", "sending", "published", "delivered", "dead"]).optional(),
  limit: integerParam(1, 200).default(50),
});

subscriptionRoutes.get("/:id", async (c) => {
  const db = database(c.env.DB);
  const s = await getSubscription(db, c.req.param("id"));
  return c.json({ ...subscriptionView(s), deliveries: await deliveries(db, s.id, 20) });
});

subscriptionRoutes.patch("/:id", async (c) => {
  const patch = await jsonBody(c.req.raw, SubscriptionPatch);
  return c.json(subscriptionView(await updateSubscription(database(c.env.DB), who(c), c.req.param("id"), patch)));
});

subscriptionRoutes.post("/:id/rotate", async (c) => c.json(await rotateSecret(database(c.env.DB), who(c), c.req.param("id")), 201));

subscriptionRoutes.get("/:id/deliveries", async (c) => {
  const db = database(c.env.DB);
  const s = await getSubscription(db, c.req.param("id"));
  const q = parseQuery(c, DeliveriesQuery, { status: "pending, sending, published, delivered o dead (coda degli eventi non consegnati)", limit: "1-200" });
  return c.json({ subscription: s.id, deliveries: await deliveries(db, s.id, q.limit, q.status) });
});

subscriptionRoutes.post("/:id/test", async (c) => {
  const db = database(c.env.DB);
  const s = await getSubscription(db, c.req.param("id"));
  return c.json(await sendTest(outboundContext(c.env), c.get("principal"), s, c.get("requestId")));
});

subscriptionRoutes.post("/:id/deliveries/:delivery/replay", async (c) => {
  const db = database(c.env.DB);
  const s = await getSubscription(db, c.req.param("id"));
  return c.json(await replay(outboundContext(c.env), c.get("principal"), s, c.req.param("delivery"), c.get("requestId")));
});

/** Deliveries with their events' kinds and every attempt. */
async function deliveries(db: ReturnType<typeof database>, subscriptionId: string, limit: number, status?: Parameters<typeof deliveriesOf>[3]) {
  const rows = await deliveriesOf(db, subscriptionId, limit, status);
  const attempts = await attemptsOf(db, rows.map((r) => r.d.id));
  const at = (ms: number | null) => (ms === null ? null : formatRomeInstant(ms));
  return rows.map(({ d, kind }) => ({
    id: d.id, event: d.eventId, kind, status: d.status, attempts: d.attempts, lastStatus: d.lastStatus, lastError: d.lastError,
    createdAt: at(d.createdAt), nextAttemptAt: d.status === "pending" ? at(d.dueAt) : null, deliveredAt: at(d.deliveredAt),
    log: attempts.filter((a) => a.deliveryId === d.id).map((a) => ({ at: at(a.at), via: a.via, status: a.status, durationMs: a.durationMs, error: a.error })),
  }));
}
