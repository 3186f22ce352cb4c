/**
 * The one error shape: application/problem+json (RFC 9457) with a stable
 * `code` and the request id. Every failure the API returns goes through here.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export const PROBLEMS = {
  missing_parameter: { status: 400, title: "Parametro mancante" },
  invalid_parameter: { status: 400, title: "Parametro non valido" },
  unknown_parameter: { status: 400, title: "Parametro sconosciuto" },
  duplicate_parameter: { status: 400, title: "Parametro ripetuto" },
  out_of_range: { status: 422, title: "Valore fuori dall'intervallo supportato" },
  not_found: { status: 404, title: "Risorsa non trovata" },
  method_not_allowed: { status: 405, title: "Metodo non consentito" },
  internal_error: { status: 500, title: "Errore interno" },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export interface ParameterError {
  parameter: string;
  code: ProblemCode;
  detail: string;
}

/** Thrown by routes; rendered by the app's error handler. */
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

export function problem(c: Context, code: ProblemCode, detail: string, extra: Record<string, unknown> = {}): Response {
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
  return c.body(JSON.stringify(body), status, { "Content-Type": "application/problem+json" });
}
