/**
 * A case as a vertical timeline: events, deadlines (with why they fall on
 * that date) and the reminders and escalations sent. The closing events of
 * open stages are actions, recorded after a confirmation step.
 */
import { type Context, Hono } from "hono";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { AppEnv } from "../env.js";
import type { Principal } from "../auth/principal.js";
import { audit } from "../db/audit.js";
import { mayRecord } from "../domain/authority.js";
import { locateVisibleCase } from "../domain/case-lookup.js";
import { webCasePath } from "../lib/case-link.js";
import { type Directory, directory } from "../db/directory.js";
import { applyEvent } from "../domain/apply-event.js";
import { caseView } from "../domain/case-view.js";
import { ApiError } from "../http/problem.js";
import { enabledBills, eventLabel, getTimeline } from "../timelines/catalog.js";
import { consequenceHeading, consequenceLine } from "../timelines/consequence.js";
import { withArticle } from "../lib/italian.js";
import { CaseSummary } from "./case-summary.js";
import { wakeAll } from "../workflows/wake.js";
import { formatRomeInstant } from "../engine/rome.js";
import { romeDateTime } from "./format.js";
import { readForm, validate } from "../http/body.js";
import { CaseRef } from "../domain/schemas.js";
import { Icon, Layout } from "./layout.js";
import { Alert, Field, described } from "./ui.js";
import { checkCsrf, requireUser } from "./session.js";

export const casePage = new Hono<AppEnv>();

const when = romeDateTime;
const STATUS: Record<string, string> = {
  open: "aperta", met: "rispettata", late: "oltre il termine", informational: "data informativa", withdrawn: "ritirata", lapsed: "senza efficacia",
};
/** Each kind of message: its name, "sent" agreed with it, and several of them sent together. */
const KIND: Record<string, [string, string, string]> = {
  reminder: ["Promemoria", "inviato", "Promemoria inviati insieme"],
  escalation: ["Segnalazione", "inviata", "Segnalazioni inviate insieme"],
  notice: ["Comunicazione", "inviata", "Comunicazioni inviate insieme"],
  fallback: ["Inoltro all'indirizzo di riserva", "inviato", "Inoltri all'indirizzo di riserva inviati insieme"],
  alert: ["Avviso agli amministratori", "inviato", "Avvisi agli amministratori inviati insieme"],
};
const kindOf = (k: string): [string, string, string] => KIND[k] ?? [k, "inviato", `${k} inviati insieme`];

type View = Awaited<ReturnType<typeof caseView>>;
type Step = { text: string; citation: string };
type Note = View["timelines"][number]["deadlines"][number]["notifications"][number];

/**
 * What happened to a deadline's messages, truly: when each was actually sent
 * (escalations that went out together in one line), when a pending one is
 * due, and which failed or were superseded. Withdrawn and period rows are not
 * messages and are left out.
 */
function messageItems(notes: readonly Note[], officeName: (id: string) => string): { at: string; text: string }[] {
  const out: { at: string; text: string }[] = [];
  // A digest carries messages of several cases: each case shows its own message, never the digest.
  const shown = notes.filter((n) => n.kind !== "roll" && n.kind !== "lapse" && n.kind !== "digest" && n.status !== "cancelled");
  const together = new Map<string, Note[]>();
  for (const n of shown) {
    const [kind, done] = kindOf(n.kind);
    if (n.status === "sent" && n.sentAt !== null) {
      // Sent in the same minute for the same deadline: one line.
      const key = `${n.kind}|${n.sentAt.slice(0, 16)}`;
      together.set(key, [...(together.get(key) ?? []), n]);
    } else if (n.status === "scheduled" || n.status === "sending" || n.status === "digested") {
      out.push({ at: n.sendAt, text: `${kind} ${withArticle("a", officeName(n.office))}: programmato per il ${when(n.sendAt)}` });
    } else if (n.status === "failed") {
      out.push({ at: n.sendAt, text: `${kind} ${withArticle("a", officeName(n.office))}: invio non riuscito` });
    } else if (n.status === "superseded") {
      out.push({ at: n.sendAt, text: `${kind} ${withArticle("a", officeName(n.office))}: non ${done}, superato da uno più recente o dalla scadenza` });
    }
  }
  for (const group of together.values()) {
    const [kind, done, several] = kindOf(group[0]!.kind);
    const to = group.map((n) => withArticle("a", officeName(n.office))).join(", ");
    out.push({ at: group[0]!.sentAt!, text: group.length === 1 ? `${kind} ${done} ${to}` : `${several} ${to}` });
  }
  return out;
}

type Item = { at: string; icon: string; node: JSX.Element };

/**
 * Bootstrap Italia's timeline, one column: a pin with the date, then the card. What already
 * happened is in evidence; what is still to come is plain.
 */
function Timeline(props: { items: Item[]; now: number }) {
  return (
    <ol class="it-timeline-wrapper list-unstyled">
      {props.items.map((i) => (
        <li class="row"><div class="col-12"><div class="timeline-element">
          <div class={`it-pin-wrapper${Date.parse(i.at) <= props.now ? " it-evidence" : ""}`}>
            <div class="pin-icon"><Icon name={i.icon} /></div>
            <div class="pin-text"><span><time datetime={i.at}>{when(i.at)}</time></span></div>
          </div>
          <div class="card-wrapper"><div class="card"><div class="card-body">{i.node}</div></div></div>
        </div></div></li>
      ))}
    </ol>
  );
}

type ViewDeadline = View["timelines"][number]["deadlines"][number];

/** The deadline's state in a word or two: a lapse says its effect ("allontanamento divenuto inefficace"). */
function DeadlineBadge(props: { d: ViewDeadline }) {
  const d = props.d;
  if (d.lapsed) return <span class="badge bg-danger">{d.outcome ?? d.consequence?.effect ?? STATUS.lapsed}</span>;
  // A week without its attestations is not an act done late: it says what was missing.
  if (d.short && d.outcome !== null) return <span class="badge bg-danger">{d.outcome}</span>;
  return <span class={`badge ${d.overdue ? "bg-danger" : d.status === "open" ? "bg-primary" : "bg-secondary"}`}>{STATUS[d.status] ?? d.status}{d.overdue ? " (scaduta)" : ""}</span>;
}

/** A step's text, with its citation after it unless the text already gives it. */
const stepText = (s: Step) => (s.text.includes(s.citation) ? s.text : `${s.text} (${s.citation})`);

type Req = { env: AppEnv["Bindings"]; req: { param: (k: "ref") => string; query: (k: string) => string | undefined }; get: (k: "user") => AppEnv["Variables"]["user"] };

/** The case of the link (?ufficio= names its owner office, ?distretto= its district, when the number is used by several). */
async function load(c: Req) {
  const office = c.req.query("ufficio");
  const district = c.req.query("distretto");
  if ((office !== undefined && !/^[a-z0-9][a-z0-9-]{1,62}$/.test(office)) || (district !== undefined && !/^[A-Z]{2}$/.test(district))) {
    throw new ApiError("invalid_parameter", "ufficio o distretto non validi", { parameter: "ufficio" });
  }
  // The reference in its canonical spelling (a typed 0977966/2026 is 977966/2026), an ambiguous one refused.
  return locateVisibleCase(c.env, c.get("user").principal, validate(CaseRef, c.req.param("ref"), "ref"), { office, district });
}

/**
 * The closing events of the open stages, with the outcome each records: those
 * this user's offices may record, or (`p` null) all of them.
 */
function actions(dir: Directory, p: Principal | null, view: View) {
  const out: { type: string; outcome: string; stage: string }[] = [];
  for (const t of view.timelines.filter((x) => x.status === "running")) {
    const def = getTimeline(t.timeline, t.version);
    if (def === undefined) continue;
    // A stage whose measure has lapsed offers nothing: the law no longer allows its acts.
    for (const d of t.deadlines.filter((x) => x.status === "open" && !x.lapsed)) {
      for (const [type, outcome] of Object.entries(def.stages.find((s) => s.id === d.stage)?.closesOn ?? {})) {
        if (p === null || mayRecord(dir, p, def, type, view.offices)) out.push({ type, outcome, stage: d.title ?? d.stage });
      }
    }
  }
  return out;
}

const actionPath = (found: { ref: string; ownerOfficeId: string }) => `/azioni/${encodeURIComponent(found.ref)}?ufficio=${encodeURIComponent(found.ownerOfficeId)}`;

type Action = { type: string; outcome: string; stage: string };
type Found = Awaited<ReturnType<typeof load>>["found"];

/**
 * The confirmation form. The act's date is the clerk's to give: typed, or "adesso" chosen
 * explicitly — never prefilled, so an earlier act is not recorded as late by accident. A
 * refusal re-shows the form with what was typed and the reason next to the field.
 */
function actionForm(c: Context<AppEnv>, found: Found, action: Action, typed: { quando?: string; adesso?: boolean; error?: string } = {}) {
  const user = c.get("user");
  return c.html(
    <Layout title="Conferma l'azione" user={user}>
      <p>Procedimento <strong>{found.ref}</strong>: registrare «{action.outcome}» per la fase «{action.stage}»?</p>
      <form method="post" action={actionPath(found)}>
        <input type="hidden" name="csrf" value={user.csrf} />
        <input type="hidden" name="evento" value={action.type} />
        <fieldset class="mb-4" aria-describedby={typed.error ? "quando-errore" : undefined}>
          <legend class="h5">Quando è stato compiuto l'atto? (ora italiana)</legend>
          <div class="form-check">
            <input type="radio" id="adesso" name="momento" value="adesso" checked={typed.adesso === true} />
            <label for="adesso">Adesso</label>
          </div>
          <div class="form-check">
            <input type="radio" id="in-data" name="momento" value="data" checked={typed.adesso !== true && typed.quando !== undefined} />
            <label for="in-data">In questa data e ora</label>
          </div>
          <Field id="quando" label="Data e ora dell'atto" error={typed.error}>
            <input {...described("quando", { error: typed.error })} name="quando" type="datetime-local" value={typed.quando ?? ""} />
          </Field>
        </fieldset>
        <button type="submit" class="btn btn-primary me-2">Conferma e registra</button>
        <a class="btn btn-outline-secondary" href={webCasePath(found.ref, found.ownerOfficeId)}>Annulla</a>
      </form>
    </Layout>,
    typed.error ? 422 : 200,
  );
}

// Actions live under their own prefix: a case reference may contain "/".
casePage.get("/azioni/:ref{.+}", requireUser, async (c) => {
  const { db, found } = await load(c);
  const view = await caseView(db, found, Date.now());
  const type = c.req.query("evento") ?? "";
  const action = actions(await directory(db), c.get("user").principal, view).find((a) => a.type === type);
  if (action === undefined) throw new ApiError("invalid_parameter", "evento: azione non disponibile per questo procedimento", { parameter: "evento" });
  return actionForm(c, found, action);
});

/** A Rome wall-clock time as an instant: its offset is the one Rome has at that moment. */
function romeWallClock(local: string): string {
  const guess = Date.parse(`${local}:00Z`);
  return `${local}:00${formatRomeInstant(guess - 3_600_000).slice(-6)}`;
}

const sentence = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);

casePage.post("/azioni/:ref{.+}", requireUser, async (c) => {
  const now = Date.now();
  const user = c.get("user");
  const form = await readForm(c.req.raw);
  checkCsrf(user.csrf, form.csrf);
  const { db, found } = await load(c);
  const type = String(form.evento ?? "");
  // Only the closing events of open stages: the form never starts a timeline or records anything
  // else; whether this user's office may record it, the event's own authority check says (403).
  const action = actions(await directory(db), null, await caseView(db, found, now)).find((a) => a.type === type);
  if (action === undefined) throw new ApiError("invalid_parameter", "evento: azione non disponibile per questo procedimento", { parameter: "evento" });
  const adesso = form.momento === "adesso";
  const quando = String(form.quando ?? "");
  if (!adesso && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(quando)) {
    const error = quando === "" ? "Indichi quando è stato compiuto l'atto: scelga «Adesso» o inserisca data e ora." : "Data e ora non valide.";
    return actionForm(c, found, action, { quando, error });
  }
  const occurredAt = adesso ? formatRomeInstant(now) : romeWallClock(quando);
  let wake;
  try {
    ({ wake } = await applyEvent(db, user.principal, { type, caseRef: found.ref, occurredAt, data: {} }, {
      caseHint: { office: found.ownerOfficeId },
      idempotencyKey: `web:${user.id}:${crypto.randomUUID()}`, now, requestId: c.get("requestId"), billEnabled: enabledBills(c.env.ENABLED_BILLS), appBaseUrl: c.env.APP_BASE_URL,
    }));
  } catch (err) {
    // A date the case refuses (in the future, before the stage began): said next to the field.
    if (err instanceof ApiError && err.extra.parameter === "occurredAt") {
      return actionForm(c, found, action, { quando: adesso ? undefined : quando, adesso, error: `${sentence(err.detail.replace(/^occurredAt: /, ""))}.` });
    }
    throw err;
  }
  await wakeAll(c.env, db, wake, now);
  return c.redirect(`${webCasePath(found.ref, found.ownerOfficeId)}&registrato=1`, 303);
});

casePage.get("/cases/:ref{.+}", requireUser, async (c) => {
  const now = Date.now();
  const user = c.get("user");
  const { db, found } = await load(c);
  const view = await caseView(db, found, now);
  const dir = await directory(db);
  const offered = actions(dir, user.principal, view);
  const officeName = (id: string) => dir.get(id)?.name ?? id;
  await audit(db, { actor: user.principal.id, action: "case.read", caseId: found.id, requestId: c.get("requestId"), detail: { ref: found.ref, via: "web" } }, now);
  return c.html(
    <Layout title={`Procedimento ${found.ref}`} user={user}>
      {c.req.query("registrato") === "1" && <Alert tone="success">Azione registrata. I promemoria della fase chiusa non saranno più inviati.</Alert>}
      <CaseSummary view={view} acts={offered} officeName={officeName} now={now} actHref={(type) => `${actionPath(found)}&evento=${encodeURIComponent(type)}`} />
      {view.timelines.map((t) => {
        const items = [
          ...view.events.map((e) => ({
            at: e.occurredAt, icon: "it-flag",
            node: <p class="card-text">{e.effect === undefined ? eventLabel(e.type) : `Termine scaduto senza l'atto: ${e.effect}`}</p>,
          })),
          ...t.deadlines.flatMap((d) => [
            {
              at: d.dueAt,
              icon: "it-clock",
              node: (
                <div>
                  <p class="card-text"><strong>{d.status === "informational" ? "Dal" : "Scadenza"}: {d.title}</strong>{" "}
                    <DeadlineBadge d={d} /></p>
                  <p class="card-text muted">{officeName(d.office)}</p>
                  {d.consequence !== undefined && (
                    <p class="card-text small">{consequenceHeading(d.consequence)}: {consequenceLine(d.consequence)}</p>
                  )}
                  <details>
                    <summary>Perché questa data</summary>
                    <ol>{((d.why as { steps?: Step[] }).steps ?? []).map((s) => <li>{stepText(s)}</li>)}</ol>
                  </details>
                </div>
              ),
            },
            ...messageItems(d.notifications, officeName).map((m) => ({ at: m.at, icon: "it-mail", node: <p class="card-text">{m.text}</p> })),
          ]),
        ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
        return (
          <section aria-label={t.title}>
            <h2>{t.title}</h2>
            <p class="muted">{t.basis} — {t.status === "running" ? "in corso" : "concluso"}</p>
            <Timeline items={items} now={now} />
          </section>
        );
      })}
    </Layout>,
  );
});
