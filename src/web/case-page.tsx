/**
 * A case as a vertical timeline: events, deadlines (with why they fall on
 * that date) and the reminders and escalations sent. The closing events of
 * open stages are actions, recorded after a confirmation step.
 */
import type { JSX } from "hono/jsx/jsx-runtime";
import { audit } from "../db/audit.js";
import { directory } from "../db/directory.js";
import { caseView } from "../domain/cases/case-view.js";
import type { View } from "./case-actions.js";
import { eventLabel, eventTypes } from "../timelines/catalog.js";
import { consequenceHeading, consequenceLine } from "../timelines/consequence.js";
import { withArticle } from "../lib/italian.js";
import { CaseSummary } from "./case-summary.js";
import { romeDateTime } from "./format.js";
import { Icon, Layout } from "./layout.js";
import { Alert } from "./ui.js";
import { requireUser } from "./session.js";
import { actionPath, actions, load } from "./case-actions.js";
import { consultationReason, declareReason, reasonForm, reasonPage } from "./consultation.js";
import { createRouter } from "../http/router.js";

export const casePage = createRouter();

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
      out.push({ at: n.sendAt, text: `${kind} ${withArticle("a", officeName(n.office))}: ${done.replace(/^inviat/, "programmat")} per il ${when(n.sendAt)}` });
    } else if (n.status === "failed") {
      out.push({ at: n.sendAt, text: `${kind} ${withArticle("a", officeName(n.office))}: invio non riuscito` });
    } else if (n.status === "superseded") {
      out.push({ at: n.sendAt, text: `${kind} ${withArticle("a", officeName(n.office))}: non ${done}, perché quando doveva partire ne era già dovuto uno più recente o il termine era scaduto` });
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

/** The reason asked for before a case is shown, declared. */
casePage.post("/cases/:ref{.+}", requireUser, async (c) => {
  const form = await reasonForm(c);
  return declareReason(c, (await load(c)).found, form);
});

casePage.get("/cases/:ref{.+}", requireUser, async (c) => {
  const now = Date.now();
  const user = c.get("user");
  const { db, found } = await load(c);
  const view = await caseView(db, found, now);
  const dir = await directory(db);
  const offered = actions(dir, user.principal, view);
  const officeName = (id: string) => dir.get(id)?.name ?? id;
  const recorded = [c.req.query("registrato")].find((t) => t !== undefined && eventTypes().has(t));
  // No deadline of this user's offices explains the visit, and no reason was declared yet: ask first.
  const reason = await consultationReason(c, db, found, view, dir, now);
  if (reason === null) return reasonPage(c, found);
  await audit(db, { actor: user.principal.id, action: "case.read", caseId: found.id, requestId: c.get("requestId"), detail: { ref: found.ref, via: "web" }, reason }, now);
  return c.html(
    <Layout title={`Procedimento ${found.ref}`} user={user} crumbs={[["/", "Scadenze"]]}>
      {recorded !== undefined && (
        <Alert tone="success">
          Azione registrata: {eventLabel(recorded).toLowerCase()}. I promemoria e le segnalazioni della fase chiusa non saranno più inviati; le nuove scadenze sono qui sotto.
        </Alert>
      )}
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
