/** What applying one event accumulates before its single D1 batch. */
import type { BatchItem } from "drizzle-orm/batch";
import type { Principal } from "../../auth/principal.js";
import type { Deadline, Instance } from "../../db/cases.js";
import type { Db } from "../../db/client.js";
import type { Directory } from "../../db/directory.js";
import type { OpenedStage } from "../stages/open-stage.js";
import type { NewNotification } from "../../db/delivery.js";

export type Stmt = BatchItem<"sqlite">;

export interface EventResult {
  event: { id: string; type: string; occurredAt: string };
  case: { ref: string };
  replayed: boolean;
  timelines: { timeline: string; version: number; instanceId: string; status: string }[];
  deadlines: {
    id: string; stage: string; office: string; status: string; dueAt: string; dueDate: string | null;
    /** Something the office must know at once (a hearing fixed outside its window). */
    warning?: string;
  }[];
}

/** The workflows to start or wake once the batch is written. */
export interface Wake {
  /** New instances, with the first instant a message of theirs falls due (null: none pending). */
  start: { instanceId: string; firstAt: number | null }[];
  /** Instances whose plan changed; their workflow and status when the event knows them (no read needed). */
  replan: { instanceId: string; workflowId?: string; running?: boolean }[];
}

export interface EventContext {
  db: Db;
  /** The directory as of this event's read batch. */
  dir: Directory;
  p: Principal;
  caseId: string;
  caseRef: string;
  isNewCase: boolean;
  /** When the case was created (now, for a new one). */
  caseCreatedAt: number;
  /** The office whose reference the case is: set by the first timeline a new case starts. */
  ownerOfficeId: string | undefined;
  /** A system obligation (not a proceeding): its identifier keeps its own form. */
  obligation: boolean;
  /** role → office id, as on the case before this event. */
  onCase: Record<string, string>;
  /** The case's timeline instances before this event, oldest first. */
  instances: Instance[];
  /** The deadlines of its running instances, soonest first. */
  deadlines: Deadline[];
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
  /** Notices about the event itself, also among `stmts`: what a preview lists. */
  notices: NewNotification[];
  result: EventResult;
  /** Instance ids, gathered while the event applies; turned into a Wake at the end. */
  wake: { start: string[]; replan: string[] };
  /** Timelines with outbound events to deliver: their workflows start at once. */
  outbound: Set<string>;
  /** The audit entry, when not the plain "event.recorded". */
  audit?: { action: string; detail: Record<string, unknown> };
}
