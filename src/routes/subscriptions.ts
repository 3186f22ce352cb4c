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
import { centralDb } from "../db/districts.js";
import type { deliveriesOf } from "../db/outbound.js";
import { isLocal } from "../deployment.js";
import {
  SubscriptionBody, SubscriptionPatch, type Who, createSubscription, getSubscription, listSubscriptions, rotateSecret, subscriptionView, updateSubscription,
} from "../domain/subscriptions.js";
import { formatRomeInstant } from "../engine/rome.js";
import { jsonBody } from "../http/body.js";
import { AUTH_PROBLEMS, BODY_PROBLEMS, QUERY_PROBLEMS, contract } from "../http/contract.js";
import { integerParam, parseQuery } from "../http/query.js";
import { outboundContext } from "../outbound/context.js";
import { attemptsAcross, deliveriesAcross, deliveryDb, testDb, withHealth } from "../outbound/districts.js";
import { replay, sendTest } from "../outbound/manual.js";

export const subscriptionRoutes = new Hono<AppEnv>();

subscriptionRoutes.use(async (c, next) => {
  requireAdmin(c.get("principal"));
  await next();
});

/** Who changes a subscription: the caller, for the audit log; local: endpoints on this machine allowed. */
export const subscriptionActor = (c: Context<AppEnv>, p: AppEnv["Variables"]["principal"]): Who => ({
  p, requestId: c.get("requestId"), now: Date.now(), local: isLocal(c.env),
});
const who = (c: Context<AppEnv>) => subscriptionActor(c, c.get("principal"));
subscriptionRoutes.get("/", async (c) => {
  const rows = await withHealth(c.env, await listSubscriptions(centralDb(c.env)));
  return c.json({ subscriptions: rows.map(subscriptionView) });
});

subscriptionRoutes.post("/", async (c) => {
  const body = await jsonBody(c.req.raw, SubscriptionBody);
  const { subscription, secret } = await createSubscription(centralDb(c.env), who(c), body);
  // The only time the secret is shown: the receiver keeps it to verify signatures.
  return c.json({ ...subscriptionView(subscription), secret }, 201);
});

const DeliveriesQuery = z.strictObject({
  status: z.enum(["pending", "sending", "published", "delivered", "dead"]).optional(),
  limit: integerParam(1, 200).default(50),
});

subscriptionRoutes.get("/:id", async (c) => {
  const s = (await withHealth(c.env, [await getSubscription(centralDb(c.env), c.req.param("id"))]))[0]!;
  return c.json({ ...subscriptionView(s), deliveries: await deliveries(c.env, s.id, 20) });
});

subscriptionRoutes.patch("/:id", async (c) => {
  const patch = await jsonBody(c.req.raw, SubscriptionPatch);
  return c.json(subscriptionView(await updateSubscription(centralDb(c.env), who(c), c.req.param("id"), patch)));
});

subscriptionRoutes.post("/:id/rotate", async (c) => c.json(await rotateSecret(centralDb(c.env), who(c), c.req.param("id")), 201));

subscriptionRoutes.get("/:id/deliveries", async (c) => {
  const s = await getSubscription(centralDb(c.env), c.req.param("id"));
  const q = parseQuery(c, DeliveriesQuery, { status: "pending, sending, published, delivered o dead (coda degli eventi non consegnati)", limit: "1-200" });
  return c.json({ subscription: s.id, deliveries: await deliveries(c.env, s.id, q.limit, q.status) });
});

subscriptionRoutes.post("/:id/test", async (c) => {
  const s = await getSubscription(centralDb(c.env), c.req.param("id"));
  return c.json(await sendTest(outboundContext(c.env, Date.now(), await testDb(c.env, s)), c.get("principal"), s, c.get("requestId")));
});

subscriptionRoutes.post("/:id/deliveries/:delivery/replay", async (c) => {
  const s = await getSubscription(centralDb(c.env), c.req.param("id"));
  const ctx = outboundContext(c.env, Date.now(), await deliveryDb(c.env, c.req.param("delivery")));
  return c.json(await replay(ctx, c.get("principal"), s, c.req.param("delivery"), c.get("requestId")));
});

/** Deliveries with their events' kinds and every attempt, from every district. */
async function deliveries(env: AppEnv["Bindings"], subscriptionId: string, limit: number, status?: Parameters<typeof deliveriesOf>[3]) {
  const rows = await deliveriesAcross(env, subscriptionId, limit, status);
  const attempts = await attemptsAcross(rows);
  const at = (ms: number | null) => (ms === null ? null : formatRomeInstant(ms));
  return rows.map(({ d, kind }) => ({
    id: d.id, event: d.eventId, kind, status: d.status, attempts: d.attempts, lastStatus: d.lastStatus, lastError: d.lastError,
    createdAt: at(d.createdAt), nextAttemptAt: d.status === "pending" ? at(d.dueAt) : null, deliveredAt: at(d.deliveredAt),
    log: attempts.filter((a) => a.deliveryId === d.id).map((a) => ({ at: at(a.at), via: a.via, status: a.status, durationMs: a.durationMs, error: a.error })),
  }));
}

const Instant = z.string().nullable().describe("RFC 3339 con l'offset di Roma");
const SubscriptionSchema = z.object({
  id: z.string(), office: z.string(), url: z.string(), description: z.string(), kinds: z.array(z.string()), parallelism: z.number().int(), ratePerSecond: z.number().int(),
  status: z.enum(["active", "failing", "disabled"]), failingSince: Instant, flaggedAt: Instant, createdAt: Instant,
});
const DeliverySchema = z.object({
  id: z.string(), event: z.string().describe("Il webhook-id"), kind: z.string(), status: z.enum(["pending", "sending", "published", "delivered", "dead"]),
  attempts: z.number().int(), lastStatus: z.number().int().nullable(), lastError: z.string().nullable(), createdAt: Instant, nextAttemptAt: Instant, deliveredAt: Instant,
  log: z.array(z.object({ at: Instant, via: z.enum(["direct", "qstash", "test"]), status: z.number().int().nullable(), durationMs: z.number().int().nullable(), error: z.string().nullable() })),
});
const ManualSchema = z.object({
  delivery: z.string(), outcome: z.enum(["delivered", "published", "retrying", "dead", "busy", "not-due", "already-done"]),
  status: z.number().int().nullable().describe("Stato HTTP dell'endpoint; null senza risposta"), error: z.string().nullable(),
});
const Id = z.object({ id: z.string().describe("Abbonamento, es. sub_…") });
const ADMIN = [...AUTH_PROBLEMS] as const;

export const subscriptionsContracts = [
  contract({ method: "get", path: "/api/v1/subscriptions", tag: "Webhook in uscita", security: "bearer", summary: "Abbonamenti ai webhook in uscita (amministratori)",
    responses: { 200: { description: "Abbonamenti", schema: z.object({ subscriptions: z.array(SubscriptionSchema) }) } }, problems: ADMIN }),
  contract({ method: "post", path: "/api/v1/subscriptions", tag: "Webhook in uscita", security: "bearer",
    summary: "Nuovo abbonamento; la risposta, e solo essa, contiene il segreto di firma (whsec_…)", body: SubscriptionBody,
    responses: { 201: { description: "Creato, con il segreto", schema: SubscriptionSchema.extend({ secret: z.string() }) } }, problems: [...ADMIN, ...BODY_PROBLEMS, "unknown_office"] }),
  contract({ method: "get", path: "/api/v1/subscriptions/{id}", tag: "Webhook in uscita", security: "bearer", summary: "Abbonamento con le ultime consegne e i loro tentativi",
    params: Id, responses: { 200: { description: "Abbonamento", schema: SubscriptionSchema.extend({ deliveries: z.array(DeliverySchema) }) } }, problems: [...ADMIN, "not_found"] }),
  contract({ method: "patch", path: "/api/v1/subscriptions/{id}", tag: "Webhook in uscita", security: "bearer", summary: "Modifica endpoint, eventi, controllo del flusso; disattiva o riattiva",
    params: Id, body: SubscriptionPatch, responses: { 200: { description: "Abbonamento", schema: SubscriptionSchema } }, problems: [...ADMIN, ...BODY_PROBLEMS, "not_found"] }),
  contract({ method: "post", path: "/api/v1/subscriptions/{id}/rotate", tag: "Webhook in uscita", security: "bearer",
    summary: "Nuovo segreto; i precedenti restano validi 24 ore e ogni evento porta entrambe le firme", params: Id,
    responses: { 201: { description: "Il nuovo segreto", schema: z.object({ secret: z.string(), previousExpiresAt: z.string() }) } }, problems: [...ADMIN, "not_found"] }),
  contract({ method: "get", path: "/api/v1/subscriptions/{id}/deliveries", tag: "Webhook in uscita", security: "bearer",
    summary: "Consegne, le più recenti per prime; status=dead: la coda degli eventi non consegnati", params: Id, query: DeliveriesQuery,
    responses: { 200: { description: "Consegne", schema: z.object({ subscription: z.string(), deliveries: z.array(DeliverySchema) }) } }, problems: [...ADMIN, ...QUERY_PROBLEMS, "not_found"] }),
  contract({ method: "post", path: "/api/v1/subscriptions/{id}/test", tag: "Webhook in uscita", security: "bearer", summary: "Invia subito un evento di prova (webhook.test) e ne riporta l'esito",
    params: Id, responses: { 200: { description: "Esito", schema: ManualSchema } }, problems: [...ADMIN, "not_found", "subscription_disabled"] }),
  contract({ method: "post", path: "/api/v1/subscriptions/{id}/deliveries/{delivery}/replay", tag: "Webhook in uscita", security: "bearer",
    summary: "Reinvia una consegna della coda degli eventi non consegnati, con lo stesso webhook-id", params: Id.extend({ delivery: z.string() }),
    responses: { 200: { description: "Esito", schema: ManualSchema } }, problems: [...ADMIN, "not_found", "delivery_not_dead"] }),
];
