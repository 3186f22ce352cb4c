/**
 * The one error shape: application/problem+json (RFC 9457) with a stable
 * `code` and the request id. Every failure the API returns goes through here:
 * the edge's own (ApiError: a credential, a signature, a query string) and the
 * core's (DomainFailure), whose codes get their status here and nowhere else.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { DomainFailure } from "../domain/failure.js";

export const PROBLEMS = {
  missing_parameter: { status: 400, title: "Parametro mancante" },
  invalid_parameter: { status: 400, title: "Parametro non valido" },
  unknown_parameter: { status: 400, title: "Parametro sconosciuto" },
  duplicate_parameter: { status: 400, title: "Parametro ripetuto" },
  out_of_range: { status: 422, title: "Valore fuori dall'intervallo supportato" },
  malformed_json: { status: 400, title: "Corpo JSON non valido" },
  unauthorized: { status: 401, title: "Autenticazione richiesta" },
  webhook_signature_missing: { status: 401, title: "Firma del webhook mancante" },
  webhook_signature_invalid: { status: 401, title: "Firma del webhook non valida" },
  webhook_timestamp_stale: { status: 401, title: "Timestamp del webhook fuori tolleranza" },
  webhook_replayed: { status: 409, title: "Richiesta già ricevuta (ripetizione rifiutata)" },
  forbidden: { status: 403, title: "Accesso non consentito" },
  not_found: { status: 404, title: "Risorsa non trovata" },
  case_exists: { status: 409, title: "Procedimento già registrato" },
  timeline_already_running: { status: 409, title: "Scadenzario già in corso" },
  no_running_timeline: { status: 409, title: "Nessuno scadenzario in corso" },
  stage_not_started: { status: 409, title: "Fase non ancora iniziata" },
  stage_closed: { status: 409, title: "Fase già chiusa" },
  stage_lapsed: { status: 409, title: "Termine scaduto: il provvedimento ha perso efficacia" },
  period_not_ended: { status: 409, title: "Periodo non ancora concluso" },
  withdrawal_window_closed: { status: 409, title: "Non è più possibile ritirare la trasmissione" },
  concurrent_update: { status: 409, title: "Modifica concorrente: riprovare" },
  suspension_used: { status: 409, title: "Sospensione già utilizzata" },
  not_suspended: { status: 409, title: "Termine non sospeso" },
  idempotency_conflict: { status: 409, title: "Chiave di idempotenza già usata per un'altra richiesta" },
  ambiguous_case: { status: 409, title: "Riferimento di più procedimenti: indicare l'ufficio o il distretto" },
  subscription_disabled: { status: 409, title: "Abbonamento disattivato" },
  delivery_in_flight: { status: 409, title: "Consegna in corso: se ne attende l'esito" },
  payload_too_large: { status: 413, title: "Corpo della richiesta troppo grande" },
  unsupported_media_type: { status: 415, title: "Tipo di contenuto non supportato" },
  invalid_body: { status: 422, title: "Corpo della richiesta non valido" },
  unknown_event_type: { status: 422, title: "Tipo di evento sconosciuto" },
  timeline_disabled: { status: 422, title: "Scadenzario di una proposta di legge non attivato" },
  unknown_case: { status: 422, title: "Procedimento sconosciuto" },
  unknown_event: { status: 422, title: "Evento di riferimento sconosciuto" },
  unknown_office: { status: 422, title: "Ufficio non individuato" },
  wrong_district: { status: 422, title: "Distretto diverso da quello dell'ufficio titolare del procedimento" },
  event_in_future: { status: 422, title: "Evento con data futura" },
  event_before_stage: { status: 422, title: "Evento anteriore all'inizio della fase" },
  method_not_allowed: { status: 405, title: "Metodo non consentito" },
  internal_error: { status: 500, title: "Errore interno" },
  service_misconfigured: { status: 503, title: "Servizio non configurato per l'uso" },
  directory_behind: { status: 503, title: "Rubrica del distretto in aggiornamento: riprovare", retryAfterSeconds: 30 },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string; retryAfterSeconds?: number }>;

export type ProblemCode = keyof typeof PROBLEMS;

export interface ParameterError {
  parameter: string;
  code: ProblemCode;
  detail: string;
}

/** Thrown by the edge (routes, middleware, web pages); rendered by the app's error handler. */
export class ApiError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }

  /** One or more bad parameters: the first one names the problem. */
  static parameters(errors: [ParameterError, ...ParameterError[]]): ApiError {
    const first = errors[0];
    return new ApiError(first.code, errors.map((e) => e.detail).join("; "), {
      parameter: first.parameter,
      errors,
    });
  }
}

/** A refusal as the edge speaks of it: its code, the sentence, the facts. */
export interface Refusal {
  readonly code: ProblemCode;
  readonly detail: string;
  readonly extra: Readonly<Record<string, unknown>>;
}

/** Any refusal, the core's or the edge's; undefined for a fault (a bug, an outage). */
export function refusalOf(err: unknown): Refusal | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof DomainFailure) {
    // Typed so that a code the core gains fails to compile until it has its status above.
    const code: ProblemCode = err.code;
    return { code, detail: err.detail, extra: { ...err.facts } };
  }
  return undefined;
}

export function problemBody(c: Context, code: ProblemCode, detail: string, extra: Record<string, unknown> = {}) {
  const { status, title } = PROBLEMS[code];
  const body = {
    type: `/problems/${code}`,
    title,
    status,
    code,
    detail,
    ...extra,
    instance: new URL(c.req.url).pathname,
    requestId: c.get("requestId"),
  };
  return { status, body };
}

export function problem(c: Context, code: ProblemCode, detail: string, extra: Record<string, unknown> = {}): Response {
  const { status, body } = problemBody(c, code, detail, extra);
  const def = PROBLEMS[code] as { retryAfterSeconds?: number };
  return c.body(JSON.stringify(body), status, {
    "Content-Type": "application/problem+json", ...(def.retryAfterSeconds === undefined ? {} : { "Retry-After": String(def.retryAfterSeconds) }),
  });
}
