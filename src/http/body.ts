/**
 * JSON request bodies: content type, size limit, syntax, then a Zod schema
 * whose every issue is reported with the field's path.
 */
import type { z } from "zod";
import { ApiError, type ParameterError } from "./problem.js";

export const MAX_BODY_BYTES = 64 * 1024;

/** Reads the raw body, refusing non-JSON content types and oversize bodies. */
export async function readJsonText(req: Request): Promise<string> {
  const type = (req.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") {
    throw new ApiError("unsupported_media_type", "Il corpo deve essere application/json");
  }
  const declared = Number(req.headers.get("Content-Length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const bytes = new Uint8Array(await req.arrayBuffer());
  if (bytes.byteLength > MAX_BODY_BYTES) throw tooLarge();
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ApiError("malformed_json", "Il corpo non è UTF-8 valido");
  }
}

function tooLarge(): ApiError {
  return new ApiError("payload_too_large", `Il corpo supera il limite di ${MAX_BODY_BYTES} byte`);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("malformed_json", "Il corpo non è JSON valido");
  }
}

/** Validates a parsed body; a failure names every bad field by its dotted path. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = result.error.issues.map(
    (i): ParameterError => ({
      parameter: i.path.map(String).join(".") || "(body)",
      code: "invalid_body",
      detail: `${i.path.map(String).join(".") || "corpo"}: ${i.message}`,
    }),
  );
  throw ApiError.parameters(errors as [ParameterError, ...ParameterError[]]);
}

export async function jsonBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  return validate(schema, parseJson(await readJsonText(req)));
}
