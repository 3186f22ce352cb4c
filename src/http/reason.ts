/**
 * The reason an API read states (art. 21 D.Lgs. 51/2018): the request's own, in the
 * Termini-Access-Reason header (UTF-8, percent-encoded where it is not ASCII), else the purpose
 * declared when the credential was issued. The log says which, and says when there was none.
 */
import type { Context } from "hono";
import type { AppEnv } from "../env.js";
import { apiReason } from "../domain/access/access-reason.js";
import { ApiError } from "./problem.js";

export const REASON_HEADER = "Termini-Access-Reason";

export function requestReason(c: Context<AppEnv>): string {
  const raw = c.req.header(REASON_HEADER);
  if (raw !== undefined) {
    let text: string | null = null;
    try {
      text = apiReason(decodeURIComponent(raw));
    } catch { /* not percent-encoding: refused below */ }
    if (text === null) throw new ApiError("invalid_parameter", `${REASON_HEADER}: il motivo della consultazione, da 3 a 200 caratteri (UTF-8 codificato con %XX)`, { parameter: REASON_HEADER });
    return `dichiarato nella richiesta: ${text}`;
  }
  const p = c.get("principal");
  // A signed-in person reaching an API route from a page: the page's purpose, as the route set it.
  if (p.id.startsWith("user:") && p.purpose) return p.purpose;
  return p.purpose ? `finalità della credenziale: ${p.purpose}` : "finalità non dichiarata: la credenziale non ne ha una e la richiesta non la indica";
}

/** The header as the OpenAPI document describes it, on every route that reads case data. */
export const REASON_HEADER_DOC = {
  name: REASON_HEADER, required: false,
  description: "Motivo della consultazione (art. 21 d.lgs. 51/2018), da 3 a 200 caratteri, UTF-8 codificato con %XX; senza, vale la finalità dichiarata per la credenziale",
};
