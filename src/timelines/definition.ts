/**
 * A timeline is typed data, validated by Zod when the catalogue loads: the
 * same engine and workflow run every one. Each stage cites its legal basis;
 * reminders and escalations are rungs whose recipients come from the office
 * directory (by level up the chain), never from code.
 */
import * as z from "zod";
import { Consequence, DATE_KINDS, LAPSE_EVENT } from "./consequence.js";
import { dateKindMismatches } from "./stage-rules.js";

const Id = z.string().regex(/^[a-z0-9][a-z0-9.-]*$/);
const EventName = z.string().regex(/^[a-z]+(?:[.-][a-z]+)*$/);
const Italian = z.string().min(3);

const TermSpec = z.strictObject({
  amount: z.number().int().positive(),
  unit: z.enum(["hours", "days", "months", "years"]),
  regime: z.enum(["penal", "civil", "administrative"]),
  feriale: z.enum(["apply", "ignore"]),
});

/** Calendar weeks on the Rome clock (attendance windows): the same local time n weeks later. */
const WeekSpec = z.strictObject({ weeks: z.number().int().positive(), clock: z.literal("rome") });

/**
 * A date that is not a term for an act, never moved for holidays: the end of a
 * period (a protocol lapses) or the first day after it (revocation "not before").
 */
const AnniversarySpec = z.strictObject({
  anniversary: z.enum(["lapse", "earliest"]),
  amount: z.number().int().positive(),
  unit: z.enum(["months", "years"]),
});

/** Once per calendar year, any day of it ("si riunisce una volta all'anno"): due by the year's end. `why` is shown in the reason. */
const CalendarPeriod = z.strictObject({ per: z.literal("calendar-year"), why: Italian });

/**
 * A length a judgment sets ("durata del percorso": Cass. sez. VI n. 40888/2024), carried by the
 * timeline's trigger as data[judged] (months), counted from the stage's start and never moved.
 */
const JudgedLength = z.strictObject({ judged: z.string().regex(/^[a-z][a-zA-Z]*$/), unit: z.literal("months") });

/** A date the law fixes ("by 30 March"): the starting event carries it as data.dueDate. */
const GivenDate = z.strictObject({
  given: z.literal("dueDate"),
  regime: z.enum(["penal", "civil", "administrative"]),
  /** Where the law fixes no day: how the deployment's setting sets it (Italian, shown in the reason). */
  setting: Italian.optional(),
});

/** A timeline that starts itself (from the cron) before each due date, for every office of a kind. */
export const Schedule = z.strictObject({
  /** The role whose every office in the directory gets an instance. */
  office: Id,
  /** Due dates each year as MM-DD, or the deployment's configured quarter or half-year ends. */
  dates: z.union([z.array(z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/)).min(1), z.enum(["quarter-ends", "half-year-ends"])]),
  /** How many days before the due date the instance starts (so the earliest reminder can fire). */
  leadDays: z.number().int().min(1).max(120),
  /** The dates are period ends; the deployment's setting says how many days later the obligation is due. */
  lag: z.enum(["compliance-data", "compliance-report"]).optional(),
  /**
   * The obligation's reference, what staff read in place of a case number: this code and its period
   * (DATI-362BIS-T4-2026). An annual report named after the year it reports on (the previous one) says so.
   */
  ref: z.strictObject({ code: z.string().regex(/^[A-Z0-9]+(-[A-Z0-9]+)*$/), reportsOnPreviousYear: z.boolean().default(false) }),
});

/** When a rung fires, relative to the deadline. */
export const RungTime = z.discriminatedUnion("kind", [
  /** At a Rome local time on the day `days` before the due date (0 = the due day). */
  z.strictObject({ kind: z.literal("before-due-date"), days: z.number().int().min(0), time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/) }),
  /** Elapsed hours before the due instant (hour terms). */
  z.strictObject({ kind: z.literal("before-due"), hours: z.number().positive() }),
  /** After the deadline has passed: `days` calendar days (Rome clock) and/or `hours` (0 = the instant it passes). */
  z.strictObject({ kind: z.literal("after-due"), days: z.number().int().min(0).default(0), hours: z.number().min(0).default(0) }),
  /** At a Rome local time on the first working day (not Saturday, Sunday or a holiday) after the due day. */
  z.strictObject({ kind: z.literal("next-working-day"), time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/) }),
]);

export const RungDefinition = z.strictObject({
  id: Id,
  kind: z.enum(["reminder", "escalation"]),
  at: RungTime,
  /** 0 = the office; n = n steps up its escalation chain. */
  level: z.number().int().min(0).max(5),
  /** The office is the case's office in this role (e.g. the supervising authority) rather than the responsible one. */
  role: Id.optional(),
  /** What the message says, when the generic reminder or escalation wording does not fit. */
  text: Italian.optional(),
});

export const StageDefinition = z.strictObject({
  id: Id,
  title: Italian,
  basis: Italian,
  /** The event type whose occurredAt starts the term. */
  startsOn: EventName,
  term: z.union([TermSpec, WeekSpec, AnniversarySpec, GivenDate, CalendarPeriod, JudgedLength]),
  /** What the date is: a term to act, the end of a period, a minimum length or an earliest date (see consequence.ts). */
  date: z.enum(DATE_KINDS),
  /** What the law attaches to the date passing without the act, with its citation. */
  consequence: Consequence,
  /** The role, among the timeline's roles, that must act. */
  office: Id,
  /** Events that close the stage, with the outcome (Italian) they record. */
  closesOn: z.record(EventName, Italian).default({}),
  /**
   * Later acts that imply this one (the PM's request implies the record reached the PM; the decision
   * implies the hearing was held): they close the stage if it is still open and in time, with this
   * outcome, and are never refused because of it.
   */
  closedAlsoBy: z.record(EventName, Italian).default({}),
  /**
   * The roles whose office (or an office above it in the escalation chain) may record this
   * stage's events — closing, attesting, suspending. Default: the stage's own office.
   */
  closedBy: z.array(Id).min(1).optional(),
  /** An earliest date ("not before"), not a deadline: recorded and shown, never reminded or escalated. */
  informational: z.boolean().default(false),
  /**
   * A recurring stage (e.g. a review every 3 months): each closing event
   * closes the current period and opens the next, counted from that event.
   */
  recurs: z.boolean().default(false),
  /** Where the next period of a recurring stage counts from: the closing event, or the anniversary of the first start. */
  recursFrom: z.enum(["event", "anniversary"]).default("event"),
  /** Contiguous periods (e.g. attendance weeks): the next starts when the previous ends, whatever happens. */
  rolls: z.boolean().default(false),
  /**
   * One suspension of a day term (e.g. to complete documents): from `on` to
   * `off`, at most `maxDays`; the deadline moves by the days suspended.
   */
  suspension: z.strictObject({ on: EventName, off: EventName, maxDays: z.number().int().positive() }).optional(),
  /** A period is met when this many events of a type fall inside it (e.g. 2 attestations a week). */
  quota: z.strictObject({
    event: EventName,
    count: z.number().int().positive(),
    /** The outcome of a period that ended short of its quota. */
    missed: Italian.default("attestazioni insufficienti"),
    /** The outcome of a period whose quota was met. */
    met: Italian.default("frequenza attestata"),
  }).optional(),
  /**
   * A second instant the term may run from, carried by the starting event (e.g. the decree's issue
   * besides its execution): when both are known and differ, reminders and escalations follow the
   * earlier deadline and the reason explains both.
   */
  alsoFrom: z.strictObject({
    field: z.string().regex(/^[a-z][a-zA-Z]*$/),
    /** How each start reads: "dall'emissione del decreto", "dall'esecuzione". */
    fieldLabel: Italian,
    eventLabel: Italian,
    /** Why both are shown (the open point). */
    why: Italian,
    citation: Italian,
  }).optional(),
  /**
   * An event that sets when the act will happen (the hearing is fixed for a date, data[field]):
   * a date after the stage's due instant is flagged to the office and the one above the moment
   * it is recorded, not when the window ends. The stage stays open until its closing event.
   */
  scheduledBy: z.strictObject({ event: EventName, field: z.string().regex(/^[a-z][a-zA-Z]*$/) }).optional(),
  /**
   * Where the law gives several starts: how the starting event's reads, by the value of one of its
   * data fields (the first label when the field is absent), and the later events that start the term
   * again from themselves (the last act of an enforcement that failed, after the judgment). A restart
   * moves the deadline as a correction does: audited, the office told. Named in the reason.
   */
  starts: z.strictObject({
    field: z.string().regex(/^[a-z][a-zA-Z]*$/),
    labels: z.record(z.string(), Italian),
    restartsOn: z.record(EventName, Italian).default({}),
    citation: Italian,
  }).optional(),
  /** Overrides the timeline's rungs for this stage (e.g. hours for hour terms; [] for none). */
  rungs: z.array(RungDefinition).optional(),
});

export const TimelineDefinition = z
  .strictObject({
    id: Id,
    version: z.number().int().positive(),
    title: Italian,
    basis: Italian,
    /** Bills ship disabled; a deployment enables them in configuration. */
    status: z.enum(["in-force", "bill"]),
    /** The event that starts an instance. */
    trigger: EventName,
    /** Office roles the trigger resolves, and the directory kind of each. */
    roles: z.record(Id, Id),
    stages: z.array(StageDefinition).min(1),
    /** The default rungs of every stage. */
    rungs: z.array(RungDefinition).default([]),
    /** Events that end the whole timeline early, closing every open stage with this outcome. */
    endsOn: z.record(EventName, Italian).default({}),
    /** The roles that may record each early end (and the trigger, under its name); default: the first stage's office. */
    endedBy: z.record(EventName, z.array(Id).min(1)).default({}),
    /** Open points and decisions users should see next to the dates. */
    notes: z.array(Italian).default([]),
    /** Messages an event sends at once to the office in a role (optionally only for given data values). */
    notices: z.array(z.strictObject({ on: EventName, when: z.record(z.string(), z.string()).optional(), to: Id, text: Italian })).default([]),
    schedule: Schedule.optional(),
    /** The report this obligation files (reminders link to its draft). */
    report: z.enum(["regional", "national", "compliance-quarterly", "compliance-half-yearly"]).optional(),
    /** Enumerated data fields an event carries (never free text), e.g. an outcome. */
    eventFields: z.record(EventName, z.record(z.string(), z.array(z.string()).min(1))).default({}),
    /** Optional instants an event carries besides occurredAt (RFC 3339), e.g. when a decree was issued. */
    eventInstants: z.record(EventName, z.array(z.string().regex(/^[a-z][a-zA-Z]*$/)).min(1)).default({}),
  })
  .superRefine((t, ctx) => {
    const stageIds = new Set<string>();
    for (const [i, s] of t.stages.entries()) {
      if (stageIds.has(s.id)) ctx.addIssue({ code: "custom", path: ["stages", i, "id"], message: `stage ${s.id} repeated` });
      stageIds.add(s.id);
      if (!(s.office in t.roles)) ctx.addIssue({ code: "custom", path: ["stages", i, "office"], message: `role ${s.office} not in roles` });
    }
    for (const [i, r] of [...t.rungs, ...t.stages.flatMap((s) => s.rungs ?? [])].entries()) {
      if (r.role !== undefined && !(r.role in t.roles)) ctx.addIssue({ code: "custom", path: ["rungs", i, "role"], message: `role ${r.role} not in roles` });
    }
    for (const [i, s] of t.stages.entries()) {
      for (const r of s.closedBy ?? []) if (!(r in t.roles)) ctx.addIssue({ code: "custom", path: ["stages", i, "closedBy"], message: `role ${r} not in roles` });
    }
    for (const [event, roles] of Object.entries(t.endedBy)) {
      for (const r of roles) if (!(r in t.roles)) ctx.addIssue({ code: "custom", path: ["endedBy", event], message: `role ${r} not in roles` });
    }
    for (const [i, n] of t.notices.entries()) {
      if (!(n.to in t.roles)) ctx.addIssue({ code: "custom", path: ["notices", i, "to"], message: `role ${n.to} not in roles` });
    }
    for (const [i, s] of t.stages.entries()) for (const m of dateKindMismatches(s)) ctx.addIssue({ code: "custom", path: ["stages", i, "date"], message: m });
    if (!t.stages.some((s) => s.startsOn === t.trigger)) {
      ctx.addIssue({ code: "custom", path: ["trigger"], message: "no stage starts on the trigger" });
    }
  });

type TermSpec = z.output<typeof TermSpec>;
type GivenDate = z.output<typeof GivenDate>;
type WeekSpec = z.output<typeof WeekSpec>;
export type Schedule = z.output<typeof Schedule>;
export type RungTime = z.output<typeof RungTime>;
export type RungDefinition = z.output<typeof RungDefinition>;
export type StageDefinition = z.output<typeof StageDefinition>;
export type TimelineDefinition = z.output<typeof TimelineDefinition>;
export type TimelineInput = z.input<typeof TimelineDefinition>;

/** The rungs a stage runs: its own, or the timeline's; none for an informational date. */
export function rungsOf(t: TimelineDefinition, s: StageDefinition): RungDefinition[] {
  return s.informational ? [] : (s.rungs ?? t.rungs);
}

/**
 * Who may record an event on an instance of this timeline: the roles whose
 * office (or one above it) acts. A stage's closing, attesting and
 * suspending events belong to the stage's office (or `closedBy`); an early
 * end, the trigger and any other event to the timeline's owner, the first
 * stage's office (or `endedBy`). Pure; empty for an event the timeline does
 * not know.
 */
export function actingRoles(t: TimelineDefinition, type: string): string[] {
  const roles = new Set<string>();
  for (const s of t.stages) {
    const own = Object.hasOwn(s.closesOn, type) || s.quota?.event === type || s.suspension?.on === type || s.suspension?.off === type ||
      s.scheduledBy?.event === type || (type === LAPSE_EVENT && s.consequence.kind === "lapse") || Object.hasOwn(s.starts?.restartsOn ?? {}, type);
    if (own) for (const r of s.closedBy ?? [s.office]) roles.add(r);
  }
  const owner = t.stages[0]!.office;
  const named = Object.hasOwn(t.endedBy, type) ? t.endedBy[type]! : [owner];
  const other = Object.hasOwn(t.endsOn, type) || type === t.trigger || t.notices.some((n) => n.on === type) || t.stages.some((s) => s.startsOn === type);
  if (other && (roles.size === 0 || Object.hasOwn(t.endsOn, type))) for (const r of named) roles.add(r);
  return [...roles];
}

/** Whether an event (other than the trigger) does anything on a running instance of this timeline. */
export function involves(def: TimelineDefinition, type: string): boolean {
  return Object.hasOwn(def.endsOn, type) || def.notices.some((n) => n.on === type) ||
    def.stages.some((s) => (s.startsOn === type && s.startsOn !== def.trigger) || Object.hasOwn(s.closesOn, type) || s.quota?.event === type ||
      s.suspension?.on === type || s.suspension?.off === type || s.scheduledBy?.event === type || Object.hasOwn(s.starts?.restartsOn ?? {}, type));
}
