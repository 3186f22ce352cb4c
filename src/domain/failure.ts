/**
 * What the core refuses, in its own terms: a stable code and the facts (the
 * sentence a person reads, the parameter at fault, the choices left). No HTTP
 * status: the edge maps each code once, to problem+json (http/problem.ts) and
 * to an Italian page or an inline error (web/). A leaf (it imports only Zod's
 * Italian messages), so the domain, the database layer and the engine may all
 * throw it.
 */
import type { z } from "zod";
import "../lib/zod-it.js";

export type FailureCode =
  // the input, a field at a time
  | "invalid_body" | "invalid_parameter" | "missing_parameter" | "event_in_future" | "event_before_stage"
  | "unknown_event_type" | "unknown_case" | "unknown_event" | "unknown_office" | "timeline_disabled"
  // what is there
  | "not_found" | "ambiguous_case" | "forbidden" | "wrong_district"
  // the state of a case or a report
  | "timeline_already_running" | "no_running_timeline" | "stage_not_started" | "stage_closed"
  | "stage_lapsed" | "suspension_used" | "not_suspended" | "period_not_ended" | "withdrawal_window_closed"
  | "concurrent_update" | "idempotency_conflict"
  // the deployment
  | "service_misconfigured" | "directory_behind";

/** One field at fault, when a single refusal names several. */
interface FieldFault {
  parameter: string;
  code: FailureCode;
  detail: string;
}

/**
 * The facts a refusal carries besides its sentence: a closed list, because the edge writes them
 * into the problem+json body beside `type`, `status` and `code`, which none may shadow.
 */
export interface FailureFacts {
  /** The field at fault, by its dotted path (`data.occurredAt`, `events.2.type`). */
  readonly parameter?: string;
  /** Every field at fault, when there are several. */
  readonly errors?: readonly FieldFault[];
  /** A reference several visible cases share: where each is, to choose among them. */
  readonly candidates?: readonly { office: string | null; district: string | null }[];
}

export class DomainFailure extends Error {
  override readonly name = "DomainFailure";
  constructor(
    readonly code: FailureCode,
    readonly detail: string,
    readonly facts: FailureFacts = {},
  ) {
    super(detail);
  }
}

/** A value checked against a Zod schema; a refusal names every bad field by its dotted path. */
export function checked<S extends z.ZodType>(schema: S, value: unknown, name?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = result.error.issues.map((i): FieldFault => {
    const path = [name, ...i.path.map(String)].filter(Boolean).join(".");
    return { parameter: path || "(body)", code: "invalid_body", detail: `${path || "corpo"}: ${i.message}` };
  });
  return fieldFaults(errors as [FieldFault, ...FieldFault[]]);
}

/** One or more bad fields: the first one names the failure. */
function fieldFaults(errors: [FieldFault, ...FieldFault[]]): never {
  const first = errors[0];
  throw new DomainFailure(first.code, errors.map((e) => e.detail).join("; "), { parameter: first.parameter, errors });
}
