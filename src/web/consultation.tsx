/**
 * The reason a person opens a case, for the audit log (art. 21 D.Lgs. 51/2018), without burdening
 * the clerk: from the context when there is one (a deadline of their own office, an escalation it
 * received, an office it oversees); otherwise asked once per case and session, before the case is
 * shown — a short choice and, for "altro", a few words.
 */
import { and, eq, gt } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../env.js";
import { DECLARED, FOLLOW_UP_MS, NOTE_MAX, contextReason, declaredReason } from "../domain/access/access-reason.js";
import { closedSince } from "../db/cases.js";
import type { Db } from "../db/client.js";
import { centralDb } from "../db/districts.js";
import type { Directory } from "../db/directory.js";
import { declaredReasons } from "../db/schema.js";
import { readForm } from "../http/body.js";
import type { Found, View } from "./case-actions.js";
import { Layout } from "./layout.js";
import { Alert } from "./ui.js";
import { checkCsrf } from "./session.js";

/** The reason this user has for reading this case now: the context's, else the one declared this session, else null. */
export async function consultationReason(c: Context<AppEnv>, db: Db, found: Found, view: View, dir: Directory, now: number): Promise<string | null> {
  const user = c.get("user");
  const own = user.principal.offices;
  const reasonWith = (closed?: ReadonlyMap<string, number>) =>
    contextReason(view.timelines.flatMap((t) => t.deadlines), own, new Set(dir.below([...own])), (id) => dir.get(id)?.name ?? id, closed);
  // Acts closed lately are the context's last resort: their query runs only when nothing else explains the visit.
  const derived = reasonWith() ?? reasonWith(await closedSince(db, found.id, now - FOLLOW_UP_MS));
  if (derived !== null) return derived;
  const row = await centralDb(c.env).select().from(declaredReasons)
    .where(and(eq(declaredReasons.sessionHash, user.session), eq(declaredReasons.caseId, found.id), gt(declaredReasons.expiresAt, now))).get();
  return row?.reason ?? null;
}

/** The page that asks for the reason (nothing of the case is shown but the number the user asked for). */
export function reasonPage(c: Context<AppEnv>, found: Found, typed: { code?: string; note?: string; error?: string } = {}) {
  const user = c.get("user");
  return c.html(
    <Layout title={`Procedimento ${found.ref}`} user={user} crumbs={[["/", "Scadenze"]]}>
      <p>Nessuna scadenza aperta di questo procedimento riguarda i suoi uffici. Prima di consultarlo indichi il motivo:
        la legge chiede che ogni consultazione di dati giudiziari sia registrata con il suo motivo (art. 21 d.lgs. 51/2018).</p>
      {typed.error !== undefined && <Alert tone="danger" id="errore">{typed.error}</Alert>}
      <form method="post" action={new URL(c.req.url).pathname + new URL(c.req.url).search} novalidate>
        <input type="hidden" name="csrf" value={user.csrf} />
        <fieldset class="mb-4">
          <legend class="h5">Motivo della consultazione</legend>
          {Object.entries(DECLARED).map(([code, label]) => (
            <div class="form-check">
              <input class="form-check-input" type="radio" name="motivo" id={`motivo-${code}`} value={code} checked={typed.code === code} />
              <label class="form-check-label" for={`motivo-${code}`}>{label}</label>
            </div>
          ))}
        </fieldset>
        <div class="form-group">
          <label for="nota">Precisazione (necessaria con «altro motivo»; non indichi dati delle persone coinvolte)</label>
          <input class="form-control" id="nota" name="nota" type="text" maxlength={NOTE_MAX} value={typed.note ?? ""} />
        </div>
        <button type="submit" class="btn btn-primary">Consulta il procedimento</button>
      </form>
    </Layout>,
    typed.error === undefined ? 200 : 422,
  );
}

/** The declared reason, kept for this case until the session ends; then back to the page asked for. */
/** The form, once its CSRF token is checked: before the case is even looked up. */
export async function reasonForm(c: Context<AppEnv>): Promise<Record<string, string | undefined>> {
  const form = await readForm(c.req.raw);
  checkCsrf(c.get("user").csrf, form.csrf);
  return form;
}

export async function declareReason(c: Context<AppEnv>, found: Found, form: Record<string, string | undefined>): Promise<Response> {
  const user = c.get("user");
  const r = declaredReason(form.motivo, form.nota);
  if (!r.ok) return reasonPage(c, found, { code: typeof form.motivo === "string" ? form.motivo : undefined, note: typeof form.nota === "string" ? form.nota : "", error: r.error });
  await centralDb(c.env).insert(declaredReasons).values({ sessionHash: user.session, caseId: found.id, reason: r.reason, expiresAt: user.sessionEnds })
    .onConflictDoUpdate({ target: [declaredReasons.sessionHash, declaredReasons.caseId], set: { reason: r.reason, expiresAt: user.sessionEnds } }).run();
  const url = new URL(c.req.url);
  return c.redirect(url.pathname + url.search, 303);
}
