/**
 * JSON request bodies: content type, size limit, syntax, then a Zod schema
 * whose every issue is reported with the field's path.
 */
import type { z } from "zod";
import { checked } from "../domain/failure.js";
import { ApiError } from "./problem.js";

export const MAX_BODY_BYTES = 64 * 1024;
/** Web forms carry a CSRF token and a few short fields. */
const MAX_FORM_BYTES = 16 * 1024;

const mediaType = (req: Request) => (req.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();

/**
 * The body's bytes, read chunk by chunk and abandoned as soon as they pass
 * `limit`: a chunked upload has no Content-Length to check, and reading it
 * whole first would hold all of it in memory before refusing it.
 */
async function readLimited(req: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("Content-Length") ?? "0");
  if (declared > limit) throw tooLarge(limit);
  if (req.body === null) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function utf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ApiError("malformed_json", "Il corpo non è UTF-8 valido");
  }
}

/** Reads the raw body, refusing non-JSON content types and oversize bodies. */
export async function readJsonText(req: Request): Promise<string> {
  if (mediaType(req) !== "application/json") {
    throw new ApiError("unsupported_media_type", "Il corpo deve essere application/json");
  }
  return utf8(await readLimited(req, MAX_BODY_BYTES));
}

/**
 * A web form (application/x-www-form-urlencoded), bounded like every body; the first value of each
 * field, or for the `multi` fields (checkboxes) every value, comma-separated.
 */
export async function readForm(req: Request, opts: { multi?: readonly string[] } = {}): Promise<Record<string, string>> {
  if (mediaType(req) !== "application/x-www-form-urlencoded") {
    throw new ApiError("unsupported_media_type", "Il modulo deve essere inviato come application/x-www-form-urlencoded");
  }
  const fields = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(utf8(await readLimited(req, MAX_FORM_BYTES)))) {
    if (!fields.has(k)) fields.set(k, v);
    else if (opts.multi?.includes(k) === true) fields.set(k, `${fields.get(k)},${v}`);
  }
  // A null-prototype record: a field named "constructor" or "__proto__" is just a field.
  return Object.assign(Object.create(null) as Record<string, string>, Object.fromEntries(fields));
}

function tooLarge(limit: number): ApiError {
  return new ApiError("payload_too_large", `Il corpo supera il limite di ${limit} byte`);
}

const PROTO_KEY = '"__proto__"';

export function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError("malformed_json", "Il corpo non è JSON valido");
  }
  // A "__proto__" member is an own property after JSON.parse, but schemas skip it silently:
  // refuse it by name. (Looked for only when the text holds it, so ordinary bodies pay nothing.)
  if (text.includes(PROTO_KEY) && hasProtoKey(value)) {
    throw new ApiError("invalid_body", "__proto__: nome di campo non ammesso", { parameter: "__proto__" });
  }
  return value;
}

function hasProtoKey(v: unknown): boolean {
  if (typeof v !== "object" || v === null) return false;
  if (Array.isArray(v)) return v.some(hasProtoKey);
  return Object.hasOwn(v, "__proto__") || Object.values(v).some(hasProtoKey);
}

export async function jsonBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  return checked(schema, parseJson(await readJsonText(req)));
}
