/**
 * What the case pages share: the case a link names (visible to this user, or refused) and the
 * closing events its open stages offer.
 */
import type { AppEnv } from "../env.js";
import type { Principal } from "../auth/principal.js";
import { mayRecord } from "../domain/access/authority.js";
import { locateVisibleCase } from "../domain/cases/case-lookup.js";
import type { caseView } from "../domain/cases/case-view.js";
import type { Directory } from "../db/directory.js";
import { ApiError } from "../http/problem.js";
import { CaseRef } from "../domain/events/schemas.js";
import { actionLabel, getTimeline } from "../timelines/catalog.js";
import { checked } from "../domain/failure.js";

export type View = Awaited<ReturnType<typeof caseView>>;
/** A closing event the case offers: its type, the button's words, the outcome and the stage it closes. */
export type Action = { type: string; label: string; outcome: string; stage: string };

type Req = { env: AppEnv["Bindings"]; req: { param: (k: "ref") => string; query: (k: string) => string | undefined }; get: (k: "user") => AppEnv["Variables"]["user"] };

/** The case of the link (?ufficio= names its owner office, ?distretto= its district, when the number is used by several). */
export async function load(c: Req) {
  const office = c.req.query("ufficio");
  const district = c.req.query("distretto");
  if ((office !== undefined && !/^[a-z0-9][a-z0-9-]{1,62}$/.test(office)) || (district !== undefined && !/^[A-Z]{2}$/.test(district))) {
    throw new ApiError("invalid_parameter", "ufficio o distretto non validi", { parameter: "ufficio" });
  }
  // The reference in its canonical spelling (a typed 0977966/2026 is 977966/2026), an ambiguous one refused.
  return locateVisibleCase(c.env, c.get("user").principal, checked(CaseRef, c.req.param("ref"), "ref"), { office, district });
}

export type Found = Awaited<ReturnType<typeof load>>["found"];

/**
 * The closing events of the open stages, with the outcome each records: those
 * this user's offices may record, or (`p` null) all of them.
 */
export function actions(dir: Directory, p: Principal | null, view: View): Action[] {
  const out: Action[] = [];
  for (const t of view.timelines.filter((x) => x.status === "running")) {
    const def = getTimeline(t.timeline, t.version);
    if (def === undefined) continue;
    // A stage whose measure has lapsed offers nothing: the law no longer allows its acts.
    for (const d of t.deadlines.filter((x) => x.status === "open" && !x.lapsed)) {
      for (const [type, outcome] of Object.entries(def.stages.find((s) => s.id === d.stage)?.closesOn ?? {})) {
        if (p === null || mayRecord(dir, p, def, type, view.offices)) out.push({ type, label: actionLabel(type), outcome, stage: d.title ?? d.stage });
      }
    }
  }
  return out;
}

export const actionPath = (found: { ref: string; ownerOfficeId: string }) => `/azioni/${encodeURIComponent(found.ref)}?ufficio=${encodeURIComponent(found.ownerOfficeId)}`;
