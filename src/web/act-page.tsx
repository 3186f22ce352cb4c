/**
 * Recording an act from the case page, in three steps: the form (its date prefilled with now,
 * in Rome time, for the clerk to change), the confirmation that shows what recording will do —
 * computed by the same code that then does it — and the case page with a success message.
 * Every error of the form is shown at once, in a summary at the top linked to its field.
 */
import type { Context } from "hono";
import type { AppEnv } from "../env.js";
import { audit } from "../db/audit.js";
import type { Db } from "../db/client.js";
import { directory } from "../db/directory.js";
import { recordedUnder } from "../db/event-state.js";
import { applyEvent, previewEvent, type IncomingEvent } from "../domain/events/apply-event.js";
import { caseView } from "../domain/cases/case-view.js";
import { ApiError, refusalOf } from "../http/problem.js";
import { readForm } from "../http/body.js";
import { enabledBills } from "../timelines/catalog.js";
import { formatRomeInstant, romeWhen } from "../engine/rome.js";
import { webCasePath } from "../lib/case-link.js";
import { wakeAll } from "../workflows/wake.js";
import { ActPreview } from "./act-preview.js";
import { type Action, type Found, actionPath, actions, load } from "./case-actions.js";
import { Layout } from "./layout.js";
import { checkCsrf, requireUser } from "./session.js";
import { ErrorSummary, Field, described } from "./ui.js";
import { createRouter } from "../http/router.js";

export const actPage = createRouter();

const WALL_CLOCK = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const DAY = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/;
const TIME = /^\s*(\d{1,2})[:.](\d{2})\s*$/;

/** What the clerk typed: the day as gg/mm/aaaa and the time as hh:mm, Italian style whatever the browser's language. */
type Typed = { data: string; ora: string };
type FieldErr = { field: "data" | "ora"; message: string };

const typedOf = (wallClock: string): Typed => ({ data: `${wallClock.slice(8, 10)}/${wallClock.slice(5, 7)}/${wallClock.slice(0, 4)}`, ora: wallClock.slice(11, 16) });

/** The typed day and time as a Rome wall clock (YYYY-MM-DDTHH:MM), or every reason they are not one. */
function wallClockOf(t: Typed): { ok: true; value: string } | { ok: false; errors: FieldErr[] } {
  const errors: FieldErr[] = [];
  const d = DAY.exec(t.data);
  const h = TIME.exec(t.ora);
  const [dd, mm, yyyy] = d === null ? [0, 0, 0] : [Number(d[1]), Number(d[2]), Number(d[3])];
  const real = d !== null && mm >= 1 && mm <= 12 && dd >= 1 && dd <= new Date(Date.UTC(yyyy, mm, 0)).getUTCDate();
  if (t.data.trim() === "") errors.push({ field: "data", message: "Indichi il giorno dell'atto." });
  else if (!real) errors.push({ field: "data", message: "Giorno non valido: lo scriva come gg/mm/aaaa, per esempio 03/11/2026." });
  if (t.ora.trim() === "") errors.push({ field: "ora", message: "Indichi l'ora dell'atto." });
  else if (h === null || Number(h[1]) > 23) errors.push({ field: "ora", message: "Ora non valida: la scriva come hh:mm, per esempio 09:30." });
  if (errors.length > 0) return { ok: false, errors };
  const pad = (n: number) => String(n).padStart(2, "0");
  return { ok: true, value: `${yyyy}-${pad(mm)}-${pad(dd)}T${pad(Number(h![1]))}:${h![2]}` };
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A Rome wall-clock time as an instant: its offset is the one Rome has at that moment. */
function romeWallClock(local: string): string {
  const guess = Date.parse(`${local}:00Z`);
  return `${local}:00${formatRomeInstant(guess - 3_600_000).slice(-6)}`;
}

const sentence = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);

function Heading(props: { found: Found; action: Action }) {
  return <p>Procedimento <strong>{props.found.ref}</strong>, fase «{props.action.stage}»: {props.action.label.replace(/^Registra /, "si registra ")}.</p>;
}

/** The first step: when the act was done. A refusal re-shows it with what was typed and why. */
function actForm(c: Context<AppEnv>, found: Found, action: Action, typed: Typed, errors: FieldErr[] = []) {
  const errorOf = (f: FieldErr["field"]) => errors.find((e) => e.field === f)?.message;
  const user = c.get("user");
  return c.html(
    <Layout title={action.label} user={user} crumbs={[["/", "Scadenze"], [webCasePath(found.ref, found.ownerOfficeId), `Procedimento ${found.ref}`]]}>
      <ErrorSummary errors={errors} />
      <Heading found={found} action={action} />
      <form method="post" action={actionPath(found)} novalidate>
        <input type="hidden" name="csrf" value={user.csrf} />
        <input type="hidden" name="evento" value={action.type} />
        <fieldset class="mb-4" aria-describedby="quando-aiuto">
          <legend class="h6">Quando è stato compiuto l'atto (ora italiana)</legend>
          <p id="quando-aiuto" class="form-text">È già indicato il momento attuale: se l'atto è stato compiuto prima, indichi quando. I termini si calcolano da questo momento.</p>
          <div class="row">
            <div class="col-7 col-md-4">
              <Field id="data" label="Giorno (gg/mm/aaaa)" error={errorOf("data")}>
                <input {...described("data", { error: errorOf("data") })} name="data" type="text" inputmode="numeric" autocomplete="off" value={typed.data} />
              </Field>
            </div>
            <div class="col-5 col-md-2">
              <Field id="ora" label="Ora (hh:mm)" error={errorOf("ora")}>
                <input {...described("ora", { error: errorOf("ora") })} name="ora" type="text" inputmode="numeric" autocomplete="off" value={typed.ora} />
              </Field>
            </div>
          </div>
        </fieldset>
        <button type="submit" class="btn btn-primary me-2">Continua</button>
        <a class="btn btn-outline-secondary" href={webCasePath(found.ref, found.ownerOfficeId)}>Annulla</a>
      </form>
    </Layout>,
    errors.length === 0 ? 200 : 422,
  );
}

/**
 * The act, if the case offers it (400 otherwise) and this user's offices may record it (403
 * otherwise) — checked before anything is shown or computed; the event's own authority check
 * still stands behind it when the act is recorded.
 */
async function actionOf(c: Context<AppEnv>, found: Found, db: Parameters<typeof caseView>[0], type: string, now: number) {
  const view = await caseView(db, found, now);
  const dir = await directory(db);
  const offered = actions(dir, null, view).find((a) => a.type === type);
  if (offered === undefined) throw new ApiError("invalid_parameter", "evento: azione non disponibile per questo procedimento", { parameter: "evento" });
  const action = actions(dir, c.get("user").principal, view).find((a) => a.type === type);
  if (action === undefined) throw new ApiError("forbidden", "Questa azione spetta a un altro ufficio");
  return { view, dir, action };
}

// Actions live under their own prefix: a case reference may contain "/".
/** The act's form and its preview show the case's number, stages and dates: a consultation, whose reason is the act the office records. */
function auditActRead(c: Context<AppEnv>, db: Db, found: Found, action: Action, now: number) {
  return audit(db, { actor: c.get("user").principal.id, action: "case.read", caseId: found.id, requestId: c.get("requestId"), detail: { ref: found.ref, via: "web", act: action.type }, reason: `registrazione dell'atto «${action.label}»` }, now);
}

actPage.get("/azioni/:ref{.+}", requireUser, async (c) => {
  const now = Date.now();
  const { db, found } = await load(c);
  const { action } = await actionOf(c, found, db, c.req.query("evento") ?? "", now);
  await auditActRead(c, db, found, action, now);
  // Back from the confirmation ("Modifica la data"): the date typed before; else now.
  const before = c.req.query("quando");
  return actForm(c, found, action, typedOf(before !== undefined && WALL_CLOCK.test(before) ? before : formatRomeInstant(now).slice(0, 16)));
});

actPage.post("/azioni/:ref{.+}", requireUser, async (c) => {
  const now = Date.now();
  const user = c.get("user");
  const form = await readForm(c.req.raw);
  checkCsrf(user.csrf, form.csrf);
  const { db, found } = await load(c);
  const key = `web:${user.id}:${UUID.test(String(form.chiave)) ? String(form.chiave) : crypto.randomUUID()}`;
  // The same confirmation again (a double click, a page sent twice): the act is recorded already.
  const already = form.conferma === "1" ? await recordedUnder(db, key) : undefined;
  if (already !== undefined) return c.redirect(`${webCasePath(found.ref, found.ownerOfficeId)}&registrato=${encodeURIComponent(already)}`, 303);
  const { view, dir, action } = await actionOf(c, found, db, String(form.evento ?? ""), now);
  const typed: Typed = { data: String(form.data ?? ""), ora: String(form.ora ?? "") };
  const read = wallClockOf(typed);
  if (!read.ok) return actForm(c, found, action, typed, read.errors);
  const quando = read.value;
  const ev: IncomingEvent = { type: action.type, caseRef: found.ref, occurredAt: romeWallClock(quando), data: {} };
  const opts = {
    caseHint: { office: found.ownerOfficeId }, idempotencyKey: key,
    now, requestId: c.get("requestId"), billEnabled: enabledBills(c.env.ENABLED_BILLS), appBaseUrl: c.env.APP_BASE_URL,
  };
  try {
    if (form.conferma !== "1") {
      const preview = await previewEvent(db, user.principal, ev, opts);
      await auditActRead(c, db, found, action, now);
      const officeName = (id: string) => dir.get(id)?.name ?? id;
      return c.html(
        <Layout title="Conferma l'azione" user={user} crumbs={[["/", "Scadenze"], [webCasePath(found.ref, found.ownerOfficeId), `Procedimento ${found.ref}`]]}>
          <Heading found={found} action={action} />
          <p>Data dell'atto: <strong>{romeWhen(Date.parse(ev.occurredAt))}</strong>.</p>
          <ActPreview preview={preview} view={view} officeName={officeName} occurredAtMs={Date.parse(ev.occurredAt)} now={now} />
          <form method="post" action={actionPath(found)} class="mt-4">
            <input type="hidden" name="csrf" value={user.csrf} />
            <input type="hidden" name="evento" value={action.type} />
            <input type="hidden" name="data" value={typed.data} />
            <input type="hidden" name="ora" value={typed.ora} />
            <input type="hidden" name="conferma" value="1" />
            {/* One key for this confirmation: a double click or a resubmitted page records the act once. */}
            <input type="hidden" name="chiave" value={crypto.randomUUID()} />
            <button type="submit" class="btn btn-primary me-2">Conferma e registra</button>
            <a class="btn btn-outline-secondary" href={`${actionPath(found)}&evento=${encodeURIComponent(action.type)}&quando=${encodeURIComponent(quando)}`}>Modifica la data</a>
          </form>
        </Layout>,
      );
    }
    const { wake } = await applyEvent(db, user.principal, ev, opts);
    await wakeAll(c.env, db, wake, now);
  } catch (err) {
    // A date the case refuses (in the future, before the stage began): said in the summary and next to the field.
    const refused = refusalOf(err);
    if (refused?.extra.parameter === "occurredAt") {
      return actForm(c, found, action, typed, [{ field: "data", message: `${sentence(refused.detail.replace(/^occurredAt: /, ""))}.` }]);
    }
    throw err;
  }
  return c.redirect(`${webCasePath(found.ref, found.ownerOfficeId)}&registrato=${encodeURIComponent(action.type)}`, 303);
});
