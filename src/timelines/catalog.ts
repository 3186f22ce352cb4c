import { ART_362_BIS } from "./art-362-bis.js";
import type { StageDefinition, TimelineDefinition } from "./definition.js";

export const TIMELINES: readonly TimelineDefinition[] = [ART_362_BIS];

export function getTimeline(id: string): TimelineDefinition | undefined {
  return TIMELINES.find((t) => t.id === id);
}

/** Every event type some timeline understands. */
export const EVENT_TYPES: ReadonlySet<string> = new Set(
  TIMELINES.flatMap((t) => [t.trigger, ...t.stages.flatMap((s) => [s.startsOn, ...Object.keys(s.closesOn)])]),
);

export function stageStartedBy(t: TimelineDefinition, type: string): StageDefinition | undefined {
  return t.stages.find((s) => s.startsOn === type);
}
