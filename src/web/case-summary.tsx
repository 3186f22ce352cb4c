/**
 * The top of the case page: what is open now and what to do. Each open deadline, soonest first,
 * with how long is left in words, the office that must act, what missing it means, and the acts
 * that can be recorded for it; each lapsed stage, with its effect and when it took hold.
 */
import type { caseView } from "../domain/cases/case-view.js";
import { consequenceLine } from "../timelines/consequence.js";
import { closeness, romeDateTime } from "./format.js";
import { romeWhen } from "../engine/rome.js";
import { withArticle } from "../lib/italian.js";

type View = Awaited<ReturnType<typeof caseView>>;
type Act = { type: string; label: string; stage: string };

const capital = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);

export function CaseSummary(props: { view: View; acts: Act[]; actHref: (type: string) => string; officeName: (id: string) => string; now: number }) {
  const { view, acts, now } = props;
  const running = view.timelines.filter((t) => t.status === "running" || t.deadlines.some((d) => d.status === "lapsed"));
  const open = running.flatMap((t) => t.deadlines.filter((d) => d.status === "open" && !d.lapsed)).sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  const lapsed = running.flatMap((t) => t.deadlines.filter((d) => d.lapsed));
  return (
    <section class="callout" aria-labelledby="da-fare">
      <div class="callout-title" id="da-fare">Che cosa c'è da fare</div>
      {open.length === 0 && lapsed.length === 0 && <p>Nessuna scadenza aperta: il procedimento non attende atti.</p>}
      <ul class="list-unstyled mb-0">
        {lapsed.map((d) => (
          <li class="mb-3">
            <strong>{d.title}</strong>: <span class="badge bg-danger">{d.outcome ?? d.consequence?.effect}</span> il {romeWhen(Date.parse(d.dueAt))}.
            {" "}Gli atti di questa fase non sono più possibili. Se l'atto è stato compiuto entro il termine, va registrato con la sua data dopo che un amministratore ha annullato l'evento di inefficacia.
          </li>
        ))}
        {open.map((d) => {
          const mine = acts.filter((a) => a.stage === d.title);
          const late = Date.parse(d.dueAt) < now;
          return (
            <li class="mb-3">
              <strong>{d.title}</strong>: <span class={`badge ${late ? "bg-danger" : "bg-primary"}`}>{capital(closeness(Date.parse(d.dueAt), now, d.exactInstant === true))}</span>
              {" "}(scadenza {romeDateTime(d.dueAt)}): tocca {withArticle("a", props.officeName(d.office))}.
              {d.consequence !== undefined && <><br /><span class="small">{consequenceLine(d.consequence)}</span></>}
              {mine.length > 0 && (
                <div class="mt-2 d-flex flex-wrap gap-2">
                  {mine.map((a) => <a class="btn btn-primary btn-sm" href={props.actHref(a.type)}>{a.label}</a>)}
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
