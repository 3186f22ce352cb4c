/**
 * /api/v1/subscriptions — outbound webhook subscriptions. Administrators
 * create them (the secret is in that answer only) and see every one; the
 * subscribing office's staff see theirs and run them: change the address,
 * the events, pause and resume, rotate the secret, read the deliveries with
 * each attempt and the start of each answer, redeliver any delivery under
 * its webhook-id, send a test or a sample of any event type, and catch up on
 * everything the subscription was sent (or would have been) from its event
 * log. Every act is audited; the event log's reads with their reason.
 */
import type { Context } from "hono";
import * as z from "zod";
import type { AppEnv } from "../env.js";
import { requireAdmin, requireCaseReader } from "../auth/principal.js";
import { auditInsert } from "../db/audit.js";
import { caseDbs, centralDb } from "../db/districts.js";
import type { deliveriesOf } from "../db/outbound.js";
import { isLocal } from "../deployment.js";
import {
  SubscriptionBody, SubscriptionPatch, type Who, createSubscription, listSubscriptions, ownSubscription, rotateSecret, subscriptionView, updateSubscription, visibleTo,
} from "../domain/subscriptions/subscriptions.js";
import { formatRomeInstant } from "../engine/rome.js";
import { jsonBody } from "../http/body.js";
import { AUTH_PROBLEMS, BODY_PROBLEMS, QUERY_PROBLEMS, contract } from "../http/contract.js";
import { ApiError } from "../http/problem.js";
import { integerParam, parseQuery } from "../http/query.js";
import { REASON_HEADER_DOC, requestReason } from "../http/reason.js";
import { outboundContext } from "../outbound/context.js";
import { type LogCursor, attemptsAcross, deliveriesAcross, deliveryDb, eventLogAcross, testDb, withHealth } from "../outbound/districts.js";
import { OUTBOUND_KINDS } from "../outbound/events.js";
import { replay, sendSample, sendTest } from "../outbound/manual.js";
import { createRouter } from "../http/router.js";

export const subscriptionRoutes = createRouter();

// Subscriptions carry case events: readers of reports and of the log have none to run.
subscriptionRoutes.use(async (c, next) => {
  requireCaseReader(c.get("principal"));
  await next();
});

/** Who changes a subscription: the caller, for the audit log; local: endpoints on this machine allowed. */
export const subscriptionActor = (c: Context<AppEnv>, p: AppEnv["Variables"]["principal"]): Who => ({
  p, requestId: c.get("requestId"), now: Date.now(), local: isLocal(c.env),
});
const who = (c: Context<AppEnv>) => subscriptionActor(c, c.get("principal"));
const own = (c: Context<AppEnv>) => ownSubscription(centralDb(c.env), c.get("principal"), c.req.param("id")!);

subscriptionRoutes.get("/", async (c) => {
  const rows = await withHealth(c.env, visibleTo(c.get("principal"), await listSubscriptions(centralDb(c.env))));
  return c.json({ subscriptions: rows.map(subscriptionView) });
});

subscriptionRoutes.post("/", async (c) => {
  requireAdmin(c.get("principal"));
  const body = await jsonBody(c.req.raw, SubscriptionBody);
  const { subscription, secret } = await createSubscription(centralDb(c.env), who(c), body);
  // The only time the secret is shown: the receiver keeps it to verify signatures.
  return c.json({ ...subscriptionView(subscription), secret }, 201);
});

const STATUSES = ["pending", "sending", "published", "delivered", "dead", "skipped"] as const;
const DeliveriesQuery = z.strictObject({
  status: z.enum(STATUSES).optional().describe("Solo le consegne in questo stato; dead: la coda degli eventi non consegnati"),
  limit: integerParam(1, 200).default(50).describe("Quante, da 1 a 200 (50 se omesso)"),
});

subscriptionRoutes.get("/:id", async (c) => {
  const s = (await withHealth(c.env, [await own(c)]))[0]!;
  return c.json({ ...subscriptionView(s), deliveries: await deliveries(c.env, s.id, 20) });
});

subscriptionRoutes.patch("/:id", async (c) => {
  const patch = await jsonBody(c.req.raw, SubscriptionPatch);
  return c.json(subscriptionView(await updateSubscription(centralDb(c.env), who(c), c.req.param("id"), patch, caseDbs(c.env))));
});

subscriptionRoutes.post("/:id/rotate", async (c) => c.json(await rotateSecret(centralDb(c.env), who(c), c.req.param("id")), 201));

subscriptionRoutes.get("/:id/deliveries", async (c) => {
  const s = await own(c);
  const q = parseQuery(c, DeliveriesQuery, { status: STATUSES.join(", "), limit: "1-200" });
  return c.json({ subscription: s.id, deliveries: await deliveries(c.env, s.id, q.limit, q.status) });
});

subscriptionRoutes.post("/:id/test", async (c) => {
  const s = await own(c);
  return c.json(await sendTest(outboundContext(c.env, Date.now(), await testDb(c.env, s)), c.get("principal"), s, c.get("requestId")));
});

const SampleBody = z.strictObject({ type: z.enum(OUTBOUND_KINDS).describe("Il tipo di evento di cui inviare un esempio") });

subscriptionRoutes.post("/:id/sample", async (c) => {
  const s = await own(c);
  const { type } = await jsonBody(c.req.raw, SampleBody);
  return c.json(await sendSample(outboundContext(c.env, Date.now(), await testDb(c.env, s)), c.get("principal"), s, type, c.get("requestId")));
});

subscriptionRoutes.post("/:id/deliveries/:delivery/replay", async (c) => {
  const s = await own(c);
  const ctx = outboundContext(c.env, Date.now(), await deliveryDb(c.env, c.req.param("delivery")));
  return c.json(await replay(ctx, c.get("principal"), s, c.req.param("delivery"), c.get("requestId")));
});

/** An event-log cursor: opaque to the caller (where it stopped in each database). */
const encodeCursor = (k: LogCursor) => btoa(JSON.stringify(k)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
function decodeCursor(raw: string): LogCursor | null {
  try {
    const k = JSON.parse(atob(raw.replaceAll("-", "+").replaceAll("_", "/"))) as unknown;
    const ok = typeof k === "object" && k !== null && !Array.isArray(k) && Object.entries(k).every(([d, n]) => /^([A-Z]{2})?$/.test(d) && Number.isSafeInteger(n) && (n as number) >= 0);
    return ok ? (k as LogCursor) : null;
  } catch {
    return null;
  }
}

const EventsQuery = z.strictObject({
  after: z.string().max(200).optional().describe("Il cursore restituito dalla pagina precedente; senza, dall'evento più vecchio conservato"),
  limit: integerParam(1, 500).default(100).describe("Quanti eventi, da 1 a 500 (100 se omesso)"),
});

subscriptionRoutes.get("/:id/events", async (c) => {
  const s = await own(c);
  const q = parseQuery(c, EventsQuery, { after: "il cursore di una risposta precedente", limit: "1-500" });
  const after = q.after === undefined ? {} : decodeCursor(q.after);
  if (after === null) throw new ApiError("invalid_parameter", "after: non è un cursore restituito da questo registro", { parameter: "after" });
  const { page, cursor, more } = await eventLogAcross(c.env, s.id, after, q.limit);
  const p = c.get("principal");
  await auditInsert(centralDb(c.env), {
    actor: p.id, action: "subscription.events-read", caseId: null, requestId: c.get("requestId"), reason: requestReason(c),
    detail: { subscription: s.id, events: page.length, after: q.after ?? null },
  }, Date.now()).run();
  return c.json({
    subscription: s.id,
    events: page.map((r) => ({
      payload: JSON.parse(r.body) as unknown, delivery: { id: r.id, status: r.status, attempts: r.attempts, deliveredAt: r.deliveredAt === null ? null : formatRomeInstant(r.deliveredAt) },
    })),
    cursor: encodeCursor(cursor),
    hasMore: more,
  });
});

/** Deliveries with their events' kinds and every attempt, from every district. */
async function deliveries(env: AppEnv["Bindings"], subscriptionId: string, limit: number, status?: Parameters<typeof deliveriesOf>[3]) {
  const rows = await deliveriesAcross(env, subscriptionId, limit, status);
  const attempts = await attemptsAcross(rows);
  const at = (ms: number | null) => (ms === null ? null : formatRomeInstant(ms));
  return rows.map(({ d, kind }) => ({
    id: d.id, event: d.eventId, kind, status: d.status, attempts: d.attempts, lastStatus: d.lastStatus, lastError: d.lastError, lastResponse: d.lastResponse,
    createdAt: at(d.createdAt), nextAttemptAt: d.status === "pending" ? at(d.dueAt) : null, deliveredAt: at(d.deliveredAt),
    log: attempts.filter((a) => a.deliveryId === d.id).map((a) => ({ at: at(a.at), via: a.via, status: a.status, durationMs: a.durationMs, error: a.error, response: a.response })),
  }));
}

const Instant = z.iso.datetime({ offset: true }).nullable().describe("Istante RFC 3339 con l'offset di Roma, es. 2026-10-31T23:59:59+01:00");
const SubscriptionSchema = z.object({
  id: z.string().describe("es. sub_3f9c…"), office: z.string().describe("Ufficio titolare"), url: z.string(), description: z.string(), kinds: z.array(z.enum(OUTBOUND_KINDS)),
  parallelism: z.int(), ratePerSecond: z.int(),
  status: z.enum(["active", "failing", "paused", "disabled"]).describe("active; failing: l'endpoint rifiuta ora; paused: sospeso a mano; disabled: disattivato da Termini dopo errori continui"),
  failingSince: Instant, flaggedAt: Instant, disabledAt: Instant, createdAt: Instant,
});
const Response = z.string().nullable().describe("L'inizio della risposta dell'endpoint (al massimo 1 KiB di testo)");
const DeliverySchema = z.object({
  id: z.string(), event: z.string().describe("Il webhook-id"), kind: z.string(), status: z.enum(STATUSES).describe("skipped: scritto mentre l'abbonamento era sospeso, non inviato"),
  attempts: z.int(), lastStatus: z.int().nullable(), lastError: z.string().nullable(), lastResponse: Response, createdAt: Instant, nextAttemptAt: Instant, deliveredAt: Instant,
  log: z.array(z.object({ at: Instant, via: z.enum(["direct", "qstash", "test"]), status: z.int().nullable(), durationMs: z.int().nullable(), error: z.string().nullable(), response: Response })),
});
const ManualSchema = z.object({
  delivery: z.string(), outcome: z.enum(["delivered", "published", "retrying", "dead", "busy", "not-due", "already-done"]),
  status: z.int().nullable().describe("Stato HTTP dell'endpoint; null senza risposta"), error: z.string().nullable(),
});
const EventLogSchema = z.object({
  subscription: z.string(),
  events: z.array(z.object({
    payload: z.object({}).passthrough().describe("Il corpo dell'evento, identico a quello inviato (vedi webhooks)"),
    delivery: z.object({ id: z.string(), status: z.enum(STATUSES), attempts: z.int(), deliveredAt: Instant }),
  })),
  cursor: z.string().describe("Da passare come after per la pagina successiva, o per la prossima lettura: vale finché gli eventi sono conservati"),
  hasMore: z.boolean(),
});
const Id = z.object({ id: z.string().describe("Abbonamento, es. sub_…") });
const OWN = [...AUTH_PROBLEMS, "not_found"] as const;
const TAG = "Webhook in uscita";

export const subscriptionsContracts = [
  contract({ method: "get", path: "/api/v1/subscriptions", tag: TAG, security: "bearer", operationId: "listSubscriptions",
    summary: "Abbonamenti ai webhook in uscita: tutti per gli amministratori, quelli dei propri uffici per il personale",
    responses: { 200: { description: "Abbonamenti", schema: z.object({ subscriptions: z.array(SubscriptionSchema) }) } }, problems: AUTH_PROBLEMS }),
  contract({ method: "post", path: "/api/v1/subscriptions", tag: TAG, security: "bearer", operationId: "createSubscription",
    summary: "Nuovo abbonamento (amministratori); la risposta, e solo essa, contiene il segreto di firma (whsec_…)", body: SubscriptionBody,
    responses: { 201: { description: "Creato, con il segreto", schema: SubscriptionSchema.extend({ secret: z.string() }) } }, problems: [...AUTH_PROBLEMS, ...BODY_PROBLEMS, "unknown_office"] }),
  contract({ method: "get", path: "/api/v1/subscriptions/{id}", tag: TAG, security: "bearer", operationId: "getSubscription", summary: "Abbonamento con le ultime consegne e i loro tentativi",
    params: Id, responses: { 200: { description: "Abbonamento", schema: SubscriptionSchema.extend({ deliveries: z.array(DeliverySchema) }) } }, problems: OWN }),
  contract({ method: "patch", path: "/api/v1/subscriptions/{id}", tag: TAG, security: "bearer", operationId: "updateSubscription",
    summary: "Modifica endpoint ed eventi; sospende (enabled: false) o riprende (enabled: true); il controllo del flusso solo gli amministratori",
    params: Id, body: SubscriptionPatch, responses: { 200: { description: "Abbonamento", schema: SubscriptionSchema } }, problems: [...OWN, ...BODY_PROBLEMS] }),
  contract({ method: "post", path: "/api/v1/subscriptions/{id}/rotate", tag: TAG, security: "bearer", operationId: "rotateSubscriptionSecret",
    summary: "Nuovo segreto; i precedenti restano validi 24 ore e ogni evento porta entrambe le firme", params: Id,
    responses: { 201: { description: "Il nuovo segreto", schema: z.object({ secret: z.string(), previousExpiresAt: Instant.unwrap() }) } }, problems: OWN }),
  contract({ method: "get", path: "/api/v1/subscriptions/{id}/deliveries", tag: TAG, security: "bearer", operationId: "listSubscriptionDeliveries",
    summary: "Consegne, le più recenti per prime, con ogni tentativo e l'inizio di ogni risposta; status=dead: la coda degli eventi non consegnati", params: Id, query: DeliveriesQuery,
    responses: { 200: { description: "Consegne", schema: z.object({ subscription: z.string(), deliveries: z.array(DeliverySchema) }) } }, problems: [...OWN, ...QUERY_PROBLEMS] }),
  contract({ method: "get", path: "/api/v1/subscriptions/{id}/events", tag: TAG, security: "bearer", operationId: "listSubscriptionEvents",
    summary: "Registro degli eventi dell'abbonamento, in ordine, dal cursore: per recuperare ciò che non si è ricevuto (conservato OUTBOUND_LOG_DAYS giorni, 30 se non configurato)",
    params: Id, query: EventsQuery, headers: [REASON_HEADER_DOC],
    responses: { 200: { description: "Eventi dopo il cursore", schema: EventLogSchema } }, problems: [...OWN, ...QUERY_PROBLEMS] }),
  contract({ method: "post", path: "/api/v1/subscriptions/{id}/test", tag: TAG, security: "bearer", operationId: "testSubscription",
    summary: "Invia subito un evento di prova (webhook.test) e ne riporta l'esito",
    params: Id, responses: { 200: { description: "Esito", schema: ManualSchema } }, problems: [...OWN, "subscription_disabled"] }),
  contract({ method: "post", path: "/api/v1/subscriptions/{id}/sample", tag: TAG, security: "bearer", operationId: "sendSubscriptionSample",
    summary: "Invia subito un esempio di un tipo di evento (dati fittizi, sample: true) e ne riporta l'esito", params: Id, body: SampleBody,
    responses: { 200: { description: "Esito", schema: ManualSchema } }, problems: [...OWN, ...BODY_PROBLEMS, "subscription_disabled"] }),
  contract({ method: "post", path: "/api/v1/subscriptions/{id}/deliveries/{delivery}/replay", tag: TAG, security: "bearer", operationId: "redeliver",
    summary: "Reinvia subito una consegna qualsiasi (consegnata, non consegnata o non inviata), con lo stesso webhook-id", params: Id.extend({ delivery: z.string() }),
    responses: { 200: { description: "Esito", schema: ManualSchema } }, problems: [...OWN, "delivery_in_flight", "subscription_disabled"] }),
];
