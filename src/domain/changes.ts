/** What applying one event accumulates before its single D1 batch. */
import type { BatchItem } from "drizzle-orm/batch";
import type { Principal } from "../auth/principal.js";
import type { Db } from "../db/client.js";
import type { OpenedStage } from "./open-stage.js";

export type Stmt = BatchItem<"sqlite">;

export interface EventResult {
  event: { id: string; type: string; occurredAt: string };
  case: { ref: string };
  replayed: boolean;
  timelines: { timeline: string; version: number; instanceId: string; status: string }[];
  deadlines: { id: string; stage: string; office: string; status: string; dueAt: string; dueDate: string | null }[];
}

export interface Wake {
  start: string[];
  replan: string[];
}

export interface EventContext {
  db: Db;
  p: Principal;
  caseId: string;
  caseRef: string;
  isNewCase: boolean;
  /** The office whose reference the case is: set by the first timeline a new case starts. */
  ownerOfficeId: string | undefined;
  /** A system obligation (not a proceeding): its identifier keeps its own form. */
  obligation: boolean;
  /** role → office id, as on the case before this event. */
  onCase: Record<string, string>;
  eventId: string;
  type: string;
  occurredAt: string;
  at: number;
  now: number;
  data: Record<string, unknown>;
}

export interface Changes {
  stmts: Stmt[];
  opened: OpenedStage[];
  result: EventResult;
  wake: Wake;
  /** The audit entry, when not the plain "event.recorded". */
  audit?: { action: string; detail: Record<string, unknown> };
}
