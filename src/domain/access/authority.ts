/**
 * Only the office that must act records the act. An event on a timeline
 * may come from the office in one of its acting roles (see actingRoles in
 * the timeline definition), from an office above it in the escalation
 * chain, from a webhook sender explicitly trusted for that event type, or
 * from an administrator; anything else is refused with the reason.
 */
import type { Principal } from "../../auth/principal.js";
import type { Directory } from "../../db/directory.js";
import { DomainFailure } from "../failure.js";
import { type TimelineDefinition, actingRoles } from "../../timelines/definition.js";

/** `roleOffices`: role → office id on the case (or resolved for a new timeline). */
export function mayRecord(dir: Directory, p: Principal, def: TimelineDefinition, type: string, roleOffices: Record<string, string>): boolean {
  if (p.role === "admin" || p.trustedEvents?.has(type) === true) return true;
  const offices = actingRoles(def, type).map((r) => roleOffices[r]).filter((o): o is string => o !== undefined);
  if (offices.length === 0 || p.offices.size === 0) return false;
  // The usual case, the office itself, needs no lookup of the chain above it.
  if (offices.some((o) => p.offices.has(o))) return true;
  const allowed = dir.withSuperiors(offices);
  return [...p.offices].some((o) => allowed.has(o));
}

export function requireAuthority(dir: Directory, p: Principal, def: TimelineDefinition, type: string, roleOffices: Record<string, string>): void {
  if (mayRecord(dir, p, def, type, roleOffices)) return;
  const who = actingRoles(def, type).map((r) => `${roleOffices[r] ?? "—"} (${r})`).join(", ");
  throw new DomainFailure("forbidden", `${type}: evento di competenza di ${who} per «${def.title}»; la credenziale non opera per quell'ufficio né per un ufficio sovraordinato`);
}
