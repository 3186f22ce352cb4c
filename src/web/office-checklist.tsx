/**
 * Offices to tick, grouped by district (each group opens when one of its offices is ticked): how
 * administrators give a user or a sender its offices, by name, never by typing ids. The fieldset
 * takes the error summary's link (`${name}-elenco`).
 */
import { DISTRICT_NAMES } from "../lib/places.js";

type Office = { id: string; name: string; jurisdiction: string };

export function OfficeChecklist(props: { name: string; legend: string; hint: string; offices: readonly Office[]; ticked: readonly string[]; error?: string }) {
  const { name, offices } = props;
  const districts = [...new Set(offices.map((o) => o.jurisdiction))].sort((a, b) => (DISTRICT_NAMES[a] ?? a).localeCompare(DISTRICT_NAMES[b] ?? b, "it"));
  const described = [`${name}-aiuto`, props.error === undefined ? "" : `${name}-errore`].filter(Boolean).join(" ");
  return (
    <fieldset id={`${name}-elenco`} tabindex={-1} class="mb-4" aria-describedby={described}>
      <legend class="h6">{props.legend}</legend>
      <p id={`${name}-aiuto`} class="form-text">{props.hint}</p>
      {props.error !== undefined && <div id={`${name}-errore`} class="invalid-feedback d-block">{props.error}</div>}
      {districts.map((d) => (
        <details open={offices.some((o) => o.jurisdiction === d && props.ticked.includes(o.id))}>
          <summary>{DISTRICT_NAMES[d] ?? d}</summary>
          {offices.filter((o) => o.jurisdiction === d).sort((a, b) => a.name.localeCompare(b.name, "it")).map((o) => (
            <div class="form-check">
              <input type="checkbox" id={`${name}-${o.id}`} name={name} value={o.id} checked={props.ticked.includes(o.id)} />
              <label for={`${name}-${o.id}`}>{o.name}</label>
            </div>
          ))}
        </details>
      ))}
    </fieldset>
  );
}
