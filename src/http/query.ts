/**
 * Query-string validation with Zod, reporting every bad parameter by name.
 * Unknown and repeated parameters are refused: a misspelt `feriale` silently
 * ignored would give a wrong deadline.
 */
import "../lib/zod-it.js";
import type { Context } from "hono";
import * as z from "zod";
import { hasOwn } from "../lib/own.js";
import { ApiError, type ParameterError } from "./problem.js";

export function parseQuery<S extends z.ZodObject>(
  c: Context,
  schema: S,
  hints: Readonly<Record<keyof z.input<S> & string, string>>,
): z.output<S> {
  const raw = c.req.queries();
  const errors: ParameterError[] = [];
  const flat: Record<string, string> = {};
  for (const [name, values] of Object.entries(raw)) {
    if (!hasOwn(hints, name)) {
      errors.push({ parameter: name, code: "unknown_parameter", detail: `${name}: parametro sconosciuto` });
    } else if (values.length > 1) {
      errors.push({ parameter: name, code: "duplicate_parameter", detail: `${name}: indicato più volte` });
    } else {
      flat[name] = values[0]!;
    }
  }
  const result = schema.safeParse(flat);
  if (!result.success) {
    const seen = new Set<string>();
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? "");
      if (name === "" || seen.has(name) || !hasOwn(hints, name)) continue;
      seen.add(name);
      const missing = flat[name] === undefined && raw[name] === undefined;
      errors.push({
        parameter: name,
        code: missing ? "missing_parameter" : "invalid_parameter",
        detail:
          issue.code === "custom"
            ? issue.message
            : `${name}: ${missing ? "obbligatorio" : "non valido"}; ${hints[name as keyof typeof hints]}`,
      });
    }
  }
  const [first, ...rest] = errors;
  if (first !== undefined) throw ApiError.parameters([first, ...rest]);
  // Every issue is mapped to a named parameter above; this is the guard that a refusal never becomes a 500.
  if (!result.success) throw new ApiError("invalid_parameter", "Parametri della richiesta non validi");
  return result.data;
}

/**
 * A whole number in decimal digits only: `z.coerce.number()` would also take
 * "0x10", "1e2", " 5" or "5.0", and a parameter should mean one thing.
 */
export function integerParam(min: number, max: number) {
  // Documented as the integer it is (/openapi.json turns the mark into type, minimum and maximum).
  return z.string().regex(/^(0|[1-9][0-9]{0,15})$/, "numero intero").transform(Number).pipe(z.number().int().min(min).max(max)).meta({ integerParam: { min, max } });
}

/** A path parameter checked against its schema: a bad one is 400 invalid_parameter, as a bad query parameter is. */
export function pathParam<S extends z.ZodType>(schema: S, value: string | undefined, name: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ApiError("invalid_parameter", `${name}: ${result.error.issues[0]?.message ?? "non valido"}`, { parameter: name });
}
