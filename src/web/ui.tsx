/** Bootstrap Italia's form field and alert, as the pages use them (no script: labels sit above fields). */
import type { Child } from "hono/jsx";

/**
 * A labelled field with its hint and inline error. The control inside refers to them with
 * `described(id, …)` so a screen reader reads the reason next to the field.
 */
export function Field(props: { id: string; label: Child; hint?: Child; error?: string; children: Child }) {
  return (
    <div class="form-group">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint !== undefined && <small id={`${props.id}-aiuto`} class="form-text">{props.hint}</small>}
      {props.error !== undefined && <div id={`${props.id}-errore`} class="invalid-feedback d-block" role="alert">{props.error}</div>}
    </div>
  );
}

/** The attributes a control inside `Field` carries: its class, validity and descriptions. */
export function described(id: string, opts: { hint?: boolean; error?: string | undefined; base?: string } = {}) {
  const refs = [opts.hint ? `${id}-aiuto` : "", opts.error !== undefined ? `${id}-errore` : ""].filter(Boolean).join(" ");
  return {
    id,
    class: `${opts.base ?? "form-control"}${opts.error !== undefined ? " is-invalid" : ""}`,
    "aria-invalid": opts.error !== undefined ? "true" : undefined,
    "aria-describedby": refs === "" ? undefined : refs,
  };
}

type Tone = "danger" | "success" | "info" | "warning";

/** A Bootstrap Italia alert: errors interrupt (role=alert), the rest is announced politely (role=status). */
export function Alert(props: { tone: Tone; children: Child; id?: string }) {
  return <div id={props.id} class={`alert alert-${props.tone}`} role={props.tone === "danger" ? "alert" : "status"}>{props.children}</div>;
}

/** A secret shown once, in the answer to the request that made it, with a "Copia" button (never in a URL). */
export function SecretOnce(props: { secret: string; hint: Child; label?: string }) {
  return (
    <Alert tone="success">
      <Field id="nuovo" label={props.label ?? "Nuovo segreto"} hint={props.hint}>
        <div class="input-group">
          <input type="text" {...described("nuovo", { hint: true })} readonly value={props.secret} />
          <div class="input-group-append"><button type="button" class="btn btn-primary" data-copy="nuovo">Copia</button></div>
        </div>
      </Field>
    </Alert>
  );
}

/** A field's error, for the summary: the field's id and what is wrong with it. */
export type FieldError = { field: string; message: string };

/**
 * Every error of a refused form at once, at the top, each linked to its field (Bootstrap
 * Italia's form pattern). termini.js moves the focus here, so a screen reader starts with it.
 */
export function ErrorSummary(props: { errors: FieldError[] }) {
  if (props.errors.length === 0) return null;
  const n = props.errors.length;
  return (
    <div class="alert alert-danger" role="alert" tabindex={-1} data-error-summary="" aria-labelledby="riepilogo-errori">
      <h2 id="riepilogo-errori" class="h5">{n === 1 ? "Il modulo contiene un errore" : `Il modulo contiene ${n} errori`}</h2>
      <ul class="mb-0">{props.errors.map((e) => <li><a href={`#${e.field}`}>{e.message}</a></li>)}</ul>
    </div>
  );
}
