/**
 * The catalogue: every version of every timeline, validated at build time.
 * Running instances keep the version they started with; new instances get
 * the latest. Bills run only where the deployment enables them.
 */
import { ACTION_LABELS, OBLIGATION_LABEL, OTHER_EVENT_LABELS, STARTING_EVENT_LABELS } from "./event-labels.js";
import { hasOwn, own } from "../lib/own.js";
import type { TimelineDefinition } from "./definition.js";
import { LAPSE_EVENT } from "./consequence.js";
import GENERATED from "./catalogue.generated.json";

// Validated at build time (npm run catalogue, from the definitions in sources.ts), not at every
// cold start: the test suite fails if this file is not what validating the sources gives.
const catalogue: TimelineDefinition[] = GENERATED as unknown as TimelineDefinition[];
export const CATALOGUE: readonly TimelineDefinition[] = catalogue;

// What every event asks of the catalogue, worked out once per change to it.
let derived: { latest: TimelineDefinition[]; eventTypes: Set<string> } | undefined;

/**
 * Adds a definition (a new version, or a deployment's own timeline), validated
 * by loadTimeline, at run time; tests use it to change a definition under
 * running instances.
 */
export function registerTimeline(t: TimelineDefinition): TimelineDefinition {
  if (catalogue.some((x) => x.id === t.id && x.version === t.version)) throw new Error(`timeline ${t.id} v${t.version} exists`);
  catalogue.push(t);
  derived = undefined;
  return t;
}

export function unregisterTimeline(id: string, version: number): void {
  const i = catalogue.findIndex((x) => x.id === id && x.version === version);
  if (i >= 0) catalogue.splice(i, 1);
  derived = undefined;
}

/** A given version, or the latest. */
export function getTimeline(id: string, version?: number): TimelineDefinition | undefined {
  const all = catalogue.filter((t) => t.id === id && (version === undefined || t.version === version));
  return all.reduce<TimelineDefinition | undefined>((a, t) => (a === undefined || t.version > a.version ? t : a), undefined);
}

function derive() {
  return (derived ??= {
    latest: [...new Set(catalogue.map((t) => t.id))].map((id) => getTimeline(id)!),
    eventTypes: new Set(catalogue.flatMap((t) => [
      t.trigger, ...Object.keys(t.endsOn), ...t.notices.map((n) => n.on),
      ...t.stages.flatMap((s) => [
        s.startsOn, ...Object.keys(s.closesOn), ...(s.quota === undefined ? [] : [s.quota.event]),
        ...(s.suspension === undefined ? [] : [s.suspension.on, s.suspension.off]),
        ...(s.scheduledBy === undefined ? [] : [s.scheduledBy.event]),
        ...Object.keys(s.starts?.restartsOn ?? {}),
      ]),
    ])),
  });
}

/** The latest version of each timeline. */
export function latest(): readonly TimelineDefinition[] {
  return derive().latest;
}

/** ENABLED_BILLS: a comma-separated list of bill timeline ids, or "all". */
export function enabledBills(setting: string | undefined): (id: string) => boolean {
  const ids = new Set((setting ?? "").split(",").map((s) => s.trim()).filter(Boolean));
  return (id) => ids.has("all") || ids.has(id);
}

export function isEnabled(t: TimelineDefinition, billEnabled: (id: string) => boolean): boolean {
  return t.status === "in-force" || billEnabled(t.id);
}

/** Every event type some timeline (any version) understands. */
export function eventTypes(): ReadonlySet<string> {
  return derive().eventTypes;
}

/** The enumerated data fields an event type carries, across the catalogue. */
export function eventFields(type: string): Record<string, string[]> {
  return Object.assign({}, ...catalogue.map((t) => own(t.eventFields, type) ?? {}));
}

/** Enumerated fields an event may leave out: which of several starts it is, when the first is meant (data.ground). */
export function optionalFields(type: string): ReadonlySet<string> {
  return new Set(catalogue.flatMap((t) => t.stages.filter((s) => s.startsOn === type && s.starts !== undefined).map((s) => s.starts!.field)));
}

/** Optional instant fields an event carries (e.g. issuedAt). */
export function eventInstants(type: string): string[] {
  return [...new Set(catalogue.flatMap((t) => own(t.eventInstants, type) ?? []))];
}

export function isTrigger(type: string): boolean {
  return catalogue.some((t) => t.trigger === type);
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** What users read for an event type: the outcome it records, or the timeline it starts. */
/** The button that records an act: "Registra la richiesta di misure". */
export function actionLabel(type: string): string {
  return ACTION_LABELS[type] ?? `Registra: ${eventLabel(type).toLowerCase()}`;
}

export function eventLabel(type: string): string {
  if (type === "event.corrected") return "Correzione della data di un evento";
  if (type === "event.cancelled") return "Annullamento di un evento registrato per errore";
  if (type === LAPSE_EVENT) return "Termine scaduto: il provvedimento ha perso efficacia";
  for (const t of catalogue) {
    for (const s of t.stages) if (hasOwn(s.closesOn, type)) return capital(s.closesOn[type]!);
    if (hasOwn(t.endsOn, type)) return capital(t.endsOn[type]!);
  }
  if (hasOwn(STARTING_EVENT_LABELS, type)) return STARTING_EVENT_LABELS[type]!;
  const started = catalogue.find((t) => t.trigger === type);
  if (started?.schedule !== undefined) return OBLIGATION_LABEL;
  if (started !== undefined) return `Avvio: ${started.stages[0]!.title}`;
  for (const t of catalogue) {
    for (const s of t.stages) {
      if (s.scheduledBy?.event === type) return `${s.title}: data fissata`;
      if (Object.hasOwn(s.starts?.restartsOn ?? {}, type)) return capital(s.starts!.restartsOn[type]!.replace(/^dall'/, "").replace(/^dal /, ""));
      if (s.quota?.event === type) return "weeks" in s.term ? "Attestazione di frequenza" : capital(s.quota.met);
    }
  }
  return OTHER_EVENT_LABELS[type] ?? type;
}

/** Italian label users see next to a bill's name. */
export const BILL_LABEL = "proposta di legge";

/** The title users read: bills say so. */
export function displayTitle(t: TimelineDefinition): string {
  return t.status === "bill" ? `${t.title} (${BILL_LABEL})` : t.title;
}
