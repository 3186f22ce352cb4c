/**
 * The catalogue: every version of every timeline, validated when loaded.
 * Running instances keep the version they started with; new instances get
 * the latest. Bills run only where the deployment enables them.
 */
import { z } from "zod";
import { AMMONIMENTO_REVOCATION, INDEMNITY_CLAIM } from "./administrative.js";
import { ART_362_BIS } from "./art-362-bis.js";
import { REGISTER_CHANGES } from "./bills.js";
import { type StageDefinition, TimelineDefinition, type TimelineInput } from "./definition.js";
import { ART_362_1_TER, ART_382_BIS, ART_384_BIS } from "./penal.js";

export function loadTimeline(input: TimelineInput): TimelineDefinition {
  const r = TimelineDefinition.safeParse(input);
  if (!r.success) throw new Error(`timeline ${input.id} v${input.version}: ${z.prettifyError(r.error)}`);
  return r.data;
}

const SOURCES: TimelineInput[] = [
  ART_362_BIS, ART_362_1_TER, ART_384_BIS, ART_382_BIS, INDEMNITY_CLAIM, AMMONIMENTO_REVOCATION, REGISTER_CHANGES,
];

export const CATALOGUE: readonly TimelineDefinition[] = SOURCES.map(loadTimeline);

/** A given version, or the latest. */
export function getTimeline(id: string, version?: number): TimelineDefinition | undefined {
  const all = CATALOGUE.filter((t) => t.id === id && (version === undefined || t.version === version));
  return all.reduce<TimelineDefinition | undefined>((a, t) => (a === undefined || t.version > a.version ? t : a), undefined);
}

/** The latest version of each timeline. */
export const LATEST: readonly TimelineDefinition[] = [...new Set(CATALOGUE.map((t) => t.id))].map((id) => getTimeline(id)!);

/** ENABLED_BILLS: a comma-separated list of bill timeline ids, or "all". */
export function enabledBills(setting: string | undefined): (id: string) => boolean {
  const ids = new Set((setting ?? "").split(",").map((s) => s.trim()).filter(Boolean));
  return (id) => ids.has("all") || ids.has(id);
}

export function isEnabled(t: TimelineDefinition, billEnabled: (id: string) => boolean): boolean {
  return t.status === "in-force" || billEnabled(t.id);
}

/** Every event type some timeline (any version) understands, and which of them start one. */
export const EVENT_TYPES: ReadonlySet<string> = new Set(
  CATALOGUE.flatMap((t) => [t.trigger, ...Object.keys(t.endsOn), ...t.stages.flatMap((s) => [s.startsOn, ...Object.keys(s.closesOn)])]),
);
export const TRIGGER_TYPES: ReadonlySet<string> = new Set(CATALOGUE.map((t) => t.trigger));

export function stageStartedBy(t: TimelineDefinition, type: string): StageDefinition | undefined {
  return t.stages.find((s) => s.startsOn === type);
}

/** Italian label users see next to a bill's name. */
export const BILL_LABEL = "proposta di legge";
