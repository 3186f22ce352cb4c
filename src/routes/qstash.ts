/**
 * What QStash calls: the relay (one attempt at a subscriber's endpoint) and
 * the callbacks (the outcome). Every request must carry an Upstash-Signature
 * checked as the SDK's Receiver checks it (src/outbound/qstash-signature.ts) against the current or next signing key,
 * for this very URL and body, and must not have been seen before (its JWT
 * id): anything else is refused and changes nothing.
 */
import type { Context } from "hono";
import * as z from "zod";
import type { AppEnv } from "../env.js";
import { centralDb, districtDb } from "../db/districts.js";
import { directory } from "../db/directory.js";
import { OUTBOUND_REASON } from "../domain/access/access-reason.js";
import { attemptInsert, deadByMessage, skippedOnRelay, disclosureInsert, deadOnRelay, deliveredByMessage, firstReceipt, getDelivery, relayedAttempt, subscriptionHealth } from "../db/outbound.js";
import { parseJson, readJsonText } from "../http/body.js";
import { ApiError } from "../http/problem.js";
import { contract } from "../http/contract.js";
import { outboundContext } from "../outbound/context.js";
import { post, routingHeaders, signedHeaders } from "../outbound/deliver.js";
import { endpointProblem } from "../outbound/endpoint.js";
import { failed } from "../outbound/settle.js";
import { QStashSignatureInvalid, verifyQStashSignature } from "../outbound/qstash-signature.js";
import { DELIVERY_HEADER, callbackPath, failurePath, relayPath } from "../outbound/qstash.js";
import { createRouter } from "../http/router.js";
import { checked } from "../domain/failure.js";

export const qstash = createRouter();

/** The district named in the address QStash was given (absent in the single-database layout). */
function districtOf(c: Context<AppEnv>): string | null {
  const d = c.req.query("district");
  if (d === undefined) return null;
  if (!/^[A-Z]{2}$/.test(d)) throw new ApiError("invalid_parameter", "district: sigla del distretto, es. TO", { parameter: "district" });
  return d;
}

/** The district's database, where the delivery lives. */
const deliveriesDb = (c: Context<AppEnv>) => districtDb(c.env, districtOf(c));

/** The body, once its signature is QStash's for this URL (the district's query included) and its JWT id is new. */
async function verified(c: Context<AppEnv>, path: string): Promise<string> {
  const district = districtOf(c);
  const signature = c.req.header("Upstash-Signature");
  if (signature === undefined) throw new ApiError("webhook_signature_missing", "Intestazione Upstash-Signature richiesta");
  const { QSTASH_CURRENT_SIGNING_KEY: current, QSTASH_NEXT_SIGNING_KEY: next } = c.env;
  if (!current || !next) throw new ApiError("not_found", "QStash non è configurato");
  const body = await readJsonText(c.req.raw);
  let claims: { jti?: string; exp?: number };
  try {
    claims = await verifyQStashSignature({ signature, body, url: c.env.APP_BASE_URL + path + (district === null ? "" : `?district=${district}`) }, [current, next], Date.now());
  } catch (e) {
    if (!(e instanceof QStashSignatureInvalid)) throw e;
    throw new ApiError("webhook_signature_invalid", "Firma QStash non valida per questo indirizzo e questo corpo");
  }
  if (typeof claims.jti !== "string" || !(await firstReceipt(centralDb(c.env), claims.jti, (claims.exp ?? 0) * 1000))) {
    throw new ApiError("webhook_replayed", "Richiesta QStash già ricevuta: la ripetizione è rifiutata");
  }
  return body;
}

const Callback = z.object({ status: z.number().int(), sourceMessageId: z.string().min(1), dlqId: z.string().optional() });

qstash.post("/relay", async (c) => {
  const body = await verified(c, relayPath);
  const db = deliveriesDb(c);
  const id = c.req.header(DELIVERY_HEADER) ?? "";
  const [row, dir] = await Promise.all([getDelivery(db, id), directory(db)]);
  if (row === undefined) throw new ApiError("not_found", `Nessuna consegna ${id}`);
  // A message QStash repeats after the endpoint took it: nothing is sent twice.
  if (row.status === "delivered") return c.json({ delivered: true, repeated: true });
  const sub = dir.subscription(row.subscriptionId);
  // Off since it was published: nothing is posted; QStash is answered 200 so that it stops, the row kept unsent.
  if (sub === undefined && dir.isOff(row.subscriptionId)) {
    await skippedOnRelay(db, id).run();
    return c.json({ delivered: false, skipped: true });
  }
  if (sub === undefined) return c.json({ delivered: false, reason: "abbonamento eliminato" }, 410);
  const ctx = outboundContext(c.env, Date.now(), db);
  // Checked again as it is used: nothing is posted to an address Termini must not reach. Dead at
  // once (QStash is answered 200, so it stops; its callback then finds the row settled and changes nothing).
  const refused = endpointProblem(sub.url, ctx.local);
  if (refused !== null) {
    const error = `endpoint non consentito: ${refused}`;
    await db.batch(deadOnRelay(db, id, error, Date.now()));
    return c.json({ delivered: false, refused: error });
  }
  const kind = String((parseJson(body) as { type?: unknown }).type ?? "");
  const headers = { ...await signedHeaders(row.eventId, dir.signingSecrets(sub.id, Date.now()), Date.now(), body), ...routingHeaders(kind, id, row.attempts + 1) };
  const answer = await post(sub.url, headers, body, ctx.timeoutMs, Date.now);
  const at = Date.now();
  await db.batch([
    attemptInsert(db, id, at, { via: "qstash", status: answer.status, durationMs: answer.durationMs, error: answer.error, response: answer.response }),
    relayedAttempt(db, id, answer, at),
    subscriptionHealth(db, sub.id, answer.ok, at),
  ]);
  if (answer.ok) {
    await disclosureInsert(db, row, sub, OUTBOUND_REASON, at).run();
    return c.json({ delivered: true });
  }
  await failed(ctx, dir, sub, answer.error ?? "", at);
  // Not taken: QStash retries with its backoff, then keeps it in its dead-letter queue.
  return c.json({ delivered: false, status: answer.status }, 502);
});

qstash.post("/callback", async (c) => {
  const cb = checked(Callback, parseJson(await verified(c, callbackPath)));
  // Every attempt's answer arrives here. The relay has logged each and already marked a success delivered;
  // this marks it too, should the relay's record be missing (a repeat changes nothing).
  if (cb.status >= 200 && cb.status < 300) await deliveredByMessage(deliveriesDb(c), cb.sourceMessageId, Date.now());
  return c.json({ recorded: true });
});

qstash.post("/failure", async (c) => {
  const cb = checked(Callback, parseJson(await verified(c, failurePath)));
  if (cb.dlqId === undefined) throw new ApiError("invalid_body", "dlqId mancante", { parameter: "dlqId" });
  const db = deliveriesDb(c);
  const subscriptionId = await deadByMessage(db, cb.sourceMessageId, cb.dlqId, Date.now());
  const dir = await directory(db);
  const sub = subscriptionId === undefined ? undefined : dir.subscription(subscriptionId);
  if (sub !== undefined) await failed(outboundContext(c.env, Date.now(), db), dir, sub, `HTTP ${cb.status}`, Date.now());
  return c.json({ recorded: true });
});

const QSTASH_PROBLEMS = ["webhook_signature_missing", "webhook_signature_invalid", "webhook_replayed", "unsupported_media_type", "payload_too_large"] as const;
const signed = [{ name: "Upstash-Signature", required: true, description: "JWT di QStash (chiave corrente o successiva) per questo indirizzo e questo corpo" }];

export const qstashContracts = [
  contract({ method: "post", path: relayPath, operationId: "qstashRelay", tag: "QStash", security: "qstash", summary: "Consegna da QStash: Termini firma l'evento e lo inoltra all'endpoint dell'abbonato",
    headers: [...signed, { name: DELIVERY_HEADER, required: true, description: "La consegna" }],
    responses: { 200: { description: "L'endpoint l'ha ricevuto, o l'abbonamento è sospeso (non inviato)" }, 502: { description: "L'endpoint non l'ha ricevuto: QStash riprova" }, 410: { description: "Abbonamento eliminato" } },
    problems: [...QSTASH_PROBLEMS, "not_found"] }),
  contract({ method: "post", path: callbackPath, operationId: "qstashCallback", tag: "QStash", security: "qstash", summary: "Esito di un tentativo (callback di QStash)", headers: signed, body: Callback,
    responses: { 200: { description: "Registrato" } }, problems: [...QSTASH_PROBLEMS, "malformed_json", "invalid_body"] }),
  contract({ method: "post", path: failurePath, operationId: "qstashFailureCallback", tag: "QStash", security: "qstash", summary: "Tentativi esauriti: la consegna è nella coda di QStash (failure callback)", headers: signed, body: Callback,
    responses: { 200: { description: "Registrato" } }, problems: [...QSTASH_PROBLEMS, "malformed_json", "invalid_body"] }),
];
