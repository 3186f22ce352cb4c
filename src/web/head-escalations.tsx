/**
 * What a head of office reads first: the escalations sent to their offices in the last days, each
 * with the deadline that passed, the office that had to act and where that deadline stands now.
 */
import { getTimeline } from "../timelines/catalog.js";
import { webCasePath } from "../lib/case-link.js";
import { count } from "../lib/italian.js";
import { closeness, romeDateTime } from "./format.js";
import type { escalationsAcross } from "../domain/districts/district-reads.js";

type Row = Awaited<ReturnType<typeof escalationsAcross>>[number];

export const ESCALATION_DAYS = 30;

const capital = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);

function standing(r: Row, now: number): string {
  if (r.d.status === "open") return `atto non ancora registrato: ${closeness(r.d.dueAtMs, now, false)}`;
  if (r.d.status === "late") return r.d.closedByEvent === null ? "chiusa senza l'atto" : `atto registrato oltre il termine${r.d.closedAtMs === null ? "" : `, il ${romeDateTime(r.d.closedAtMs)}`}`;
  if (r.d.status === "lapsed") return "provvedimento divenuto inefficace";
  if (r.d.status === "met") return "atto registrato nel termine";
  return "ritirata";
}

export function HeadEscalations(props: { rows: Row[]; now: number }) {
  const open = props.rows.filter((r) => r.d.status === "open").length;
  return (
    <section aria-labelledby="segnalazioni" class="mb-5">
      <h2 id="segnalazioni" class="h4">Segnalazioni ricevute negli ultimi {ESCALATION_DAYS} giorni</h2>
      {props.rows.length === 0 ? <p>Nessuna segnalazione: nessun termine degli uffici che dirige è scaduto senza l'atto.</p> : (
        <>
          <p>{count(props.rows.length, "segnalazione", "segnalazioni")}{open === 0 ? "" : open === props.rows.length ? `, ${open === 1 ? "con" : "tutte con"} l'atto non ancora registrato` : `, di cui ${open} con l'atto non ancora registrato`}: ogni riga è un termine scaduto senza che l'ufficio abbia registrato l'atto.</p>
          <table class="table table-stack">
            <thead><tr><th scope="col">Ricevuta</th><th scope="col">Procedimento</th><th scope="col">Fase</th><th scope="col">Ufficio che doveva agire</th><th scope="col">A che punto è</th></tr></thead>
            <tbody>
              {props.rows.map((r) => (
                <tr>
                  <td data-label="Ricevuta">{romeDateTime(r.sentAtMs)}</td>
                  <td data-label="Procedimento" class="text-nowrap"><a href={webCasePath(r.ref, r.owner)}>{r.ref}</a></td>
                  <td data-label="Fase">{getTimeline(r.timeline, r.version)?.stages.find((s) => s.id === r.d.stage)?.title ?? r.d.stage}<br /><span class="small muted">scadenza {romeDateTime(r.d.dueAtMs)}</span></td>
                  <td data-label="Ufficio che doveva agire">{r.office}</td>
                  <td data-label="A che punto è"><span class={`badge ${r.d.status === "open" ? "bg-danger" : "bg-secondary"}`}>{capital(standing(r, props.now))}</span></td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
