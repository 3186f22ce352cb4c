/**
 * The confirmation step: what recording the act will do, computed by the same code that will do
 * it (previewEvent). Which stages close (in time or late) and which open, with their due dates;
 * which messages go out the moment it is confirmed, and to whom; and, for an act dated in the
 * past, why escalations leave at once.
 */
import type { EventPreview } from "../domain/events/apply-event.js";
import type { NewNotification } from "../db/delivery.js";
import { getTimeline } from "../timelines/catalog.js";
import { count, withArticle } from "../lib/italian.js";
import { romeDateTime } from "./format.js";
import { romeWhen } from "../engine/rome.js";
import { Alert } from "./ui.js";
import type { View } from "./case-actions.js";

/** A message leaving within this margin of the confirmation is "subito". */
const AT_ONCE_MS = 60_000;
const KIND: Record<string, string> = { reminder: "Promemoria", escalation: "Segnalazione", notice: "Comunicazione" };

type Opened = EventPreview["opened"][number];

function stageTitle(p: EventPreview, view: View, instanceId: string, stage: string): string {
  const t = p.timelines.find((x) => x.instanceId === instanceId);
  const def = t === undefined ? undefined : getTimeline(t.timeline, t.version);
  const known = view.timelines.flatMap((x) => x.deadlines).find((d) => d.stage === stage);
  return def?.stages.find((s) => s.id === stage)?.title ?? known?.title ?? stage;
}

/**
 * The messages that go out as soon as the act is recorded: escalations and notices already due,
 * and of the reminders only the latest one due, and only while its deadline has not passed (the
 * sender's own rule, src/notify/deliver.ts).
 */
function atOnce(p: EventPreview, now: number): NewNotification[] {
  const due = (n: NewNotification) => n.sendAtMs <= now + AT_ONCE_MS;
  const out: NewNotification[] = [...p.notices.filter(due)];
  for (const o of p.opened) {
    const rows = o.notifications.filter(due);
    out.push(...rows.filter((n) => n.kind === "escalation" || n.kind === "notice"));
    const reminder = rows.filter((n) => n.kind === "reminder").sort((a, b) => b.sendAtMs - a.sendAtMs)[0];
    if (reminder !== undefined && now <= o.deadline.dueAtMs) out.push(reminder);
  }
  return out;
}

const later = (p: EventPreview, now: number) =>
  p.opened.flatMap((o) => o.notifications).filter((n) => n.sendAtMs > now + AT_ONCE_MS && KIND[n.kind] !== undefined).sort((a, b) => a.sendAtMs - b.sendAtMs);

export function ActPreview(props: { preview: EventPreview; view: View; officeName: (id: string) => string; occurredAtMs: number; now: number }) {
  const { preview: p, view, officeName, now } = props;
  const titleOf = (id: string, stage: string) => {
    const known = view.timelines.flatMap((t) => t.deadlines).find((d) => d.id === id);
    return known?.title ?? stage;
  };
  const overdue = p.opened.filter((o) => o.deadline.status === "open" && o.deadline.dueAtMs < now);
  const sent = atOnce(p, now);
  const next = later(p, now);
  const ended = p.timelines.filter((t) => t.status === "closed");
  return (
    <section aria-labelledby="effetti">
      <h2 id="effetti" class="h4">Che cosa succede confermando</h2>
      {overdue.length > 0 && sent.some((n) => n.kind === "escalation") && (
        <Alert tone="warning">
          <strong>Le segnalazioni partiranno subito.</strong> L'atto è datato {romeWhen(props.occurredAtMs)}: {overdue.map((o, i) => (
            <>{i > 0 && "; "}il termine della fase «{stageTitle(p, view, o.deadline.instanceId, o.deadline.stage)}» che ne decorre è scaduto il {romeWhen(o.deadline.dueAtMs)}</>
          ))}. Gli uffici da avvisare dopo la scadenza riceveranno la segnalazione appena confermi.
        </Alert>
      )}
      <ul>
        {p.closed.map((d) => (
          <li>
            La fase «{titleOf(d.id, d.stage)}» si chiude{" "}
            {d.status === "met" ? <strong>nel termine</strong> : d.status === "late" ? <><strong>oltre il termine</strong> (scadeva il {romeDateTime(d.dueAt)})</> : <strong>({d.status})</strong>}:
            {" "}i promemoria e le segnalazioni non ancora inviati per questa fase sono annullati.
          </li>
        ))}
        {p.opened.map((o: Opened) => (
          <li>
            Si apre la fase «{stageTitle(p, view, o.deadline.instanceId, o.deadline.stage)}»: tocca {withArticle("a", officeName(o.deadline.officeId))},
            {" "}{o.deadline.status === "informational" ? "dal" : "scadenza"} {romeDateTime(o.deadline.dueAtMs)}
            {o.deadline.status === "open" && o.deadline.dueAtMs < now && <strong> (già passata)</strong>}.
          </li>
        ))}
        {ended.map((t) => <li>Lo scadenzario «{getTimeline(t.timeline, t.version)?.title ?? t.timeline}» si conclude.</li>)}
        {p.closed.length + p.opened.length + ended.length === 0 && <li>Nessuna scadenza cambia.</li>}
      </ul>
      <h3 class="h5">Messaggi</h3>
      {sent.length === 0
        ? <p>Nessun messaggio parte subito.</p>
        : <>
            <p>{sent.length === 1 ? "Parte subito un messaggio:" : `Partono subito ${sent.length} messaggi:`}</p>
            <ul>{sent.map((n) => <li>{KIND[n.kind] ?? "Messaggio"} {withArticle("a", officeName(n.officeId))}</li>)}</ul>
          </>}
      {next.length > 0 && (
        <p>{sent.length === 0 ? count(next.length, "messaggio programmato", "messaggi programmati") : count(next.length, "altro messaggio programmato", "altri messaggi programmati")}, il primo il {romeDateTime(next[0]!.sendAtMs)} ({(KIND[next[0]!.kind] ?? "messaggio").toLowerCase()} {withArticle("a", officeName(next[0]!.officeId))}).</p>
      )}
    </section>
  );
}
