/**
 * Timelines on dates fixed by law start themselves: on each cron run, for
 * every enabled timeline with a schedule and every office of the
 * responsible kind, an instance is opened `leadDays` before each due date
 * (once: the idempotency key names the office and the date).
 */
import { daysFromCivil, isoDate, type DayNumber, packedFromDays } from "../engine/civil.js";
import { formatRomeInstant, romeDay, romeLocalInstant } from "../engine/rome.js";
import type { Principal } from "../auth/principal.js";
import { centralDb, districtDb } from "../db/districts.js";
import { directory } from "../db/directory.js";
import { applyEvent } from "../domain/events/apply-event.js";
import type { Bindings } from "../env.js";
import { refusalOf } from "../http/problem.js";
import { enabledBills, isEnabled, latest } from "../timelines/catalog.js";
import { obligationRef } from "../timelines/reporting.js";
import type { Schedule } from "../timelines/definition.js";
import { complianceLags, quarterEnds } from "../timelines/quarters.js";
import { wakeAll } from "./wake.js";
import type { Db } from "../db/client.js";
import { clearScheduleFailure, recordScheduleFailure } from "../db/schedule-failures.js";

const SYSTEM: Principal = { id: "system:schedule", role: "admin", offices: new Set() };
/** The MM-DD due dates of a schedule under the deployment's quarter ends. */
export function scheduleDates(s: Schedule, setting: string | undefined): string[] {
  const quarters = quarterEnds(setting);
  if (s.dates === "quarter-ends") return quarters;
  if (s.dates === "half-year-ends") return quarters.filter((_, i) => i % 2 === 1);
  return s.dates;
}

/** Due days (each date, `lag` days on) whose lead window contains `today`. Pure. */
export function dueWithinLead(dates: readonly string[], leadDays: number, today: DayNumber, lag = 0): DayNumber[] {
  const year = Math.floor(packedFromDays(today) / 10000);
  const out: DayNumber[] = [];
  // The year before too: with a lag, December's period is due in January.
  for (const y of [year - 1, year, year + 1]) {
    for (const mmdd of dates) {
      const due = daysFromCivil(y, Number(mmdd.slice(0, 2)), Number(mmdd.slice(3, 5))) + lag;
      if (today >= due - leadDays && today <= due) out.push(due);
    }
  }
  return out;
}

export interface ScheduleCounts {
  started: number;
  existing: number;
  /** Obligations that could not be opened this run: logged, listed for administrators, tried again next run. */
  failed: number;
}

export async function startScheduled(env: Bindings, now: number): Promise<ScheduleCounts> {
  const db = centralDb(env);
  const bill = enabledBills(env.ENABLED_BILLS);
  const counts: ScheduleCounts = { started: 0, existing: 0, failed: 0 };
  const dir = await directory(db);
  for (const def of latest().filter((t) => t.schedule !== undefined && isEnabled(t, bill))) {
    const s = def.schedule!;
    const role = s.office;
    const lag = s.lag === undefined ? 0 : complianceLags(env)[s.lag];
    const due = dueWithinLead(scheduleDates(s, env.COMPLIANCE_QUARTER_ENDS), s.leadDays, romeDay(now), lag);
    if (due.length === 0) continue;
    for (const office of dir.allOfKind(def.roles[role]!)) {
      for (const day of due) {
        // Opened as of the first day of its lead window, whatever run opens it: every run's
        // attempt is the same event, so a later run replays it instead of conflicting with it.
        // The key names the period (its last day) for the system; the reference says it to people.
        // The due date follows the setting.
        const period = isoDate(day - lag);
        const obligation = {
          key: `${def.id}/${office.id}/${period}`, ref: obligationRef(s, period), timeline: def.id, officeId: office.id, dueDate: isoDate(day),
          opensAt: formatRomeInstant(romeLocalInstant((day - s.leadDays) as DayNumber, 0)),
        };
        counts[await openObligation(env, office.jurisdiction, obligation, role, def.trigger, bill, now)]++;
      }
    }
  }
  return counts;
}

type Obligation = { key: string; ref: string; timeline: string; officeId: string; dueDate: string; opensAt: string };

/** An obligation lives in its office's district; one whose district has no database is recorded centrally as failed. */
async function openObligation(
  env: Bindings, district: string, o: Obligation, role: string, trigger: string, bill: (id: string) => boolean, now: number,
): Promise<keyof ScheduleCounts> {
  let db: Db;
  try {
    db = districtDb(env, district);
  } catch (e) {
    await recordScheduleFailure(centralDb(env), { ref: o.key, timeline: o.timeline, officeId: o.officeId, dueDate: o.dueDate }, refusalOf(e)?.code ?? "internal_error", now);
    return "failed";
  }
  return openIn(env, db, o, role, trigger, bill, now);
}

/**
 * Opens one obligation. Only the obligation itself already open counts as
 * existing: the replay of this run's own key, or the same reference opened
 * by hand. Any other refusal or error is a failure, never silently skipped.
 */
async function openIn(
  env: Bindings, db: Db, o: Obligation, role: string, trigger: string, bill: (id: string) => boolean, now: number,
): Promise<keyof ScheduleCounts> {
  try {
    const { result, wake } = await applyEvent(db, SYSTEM, {
      type: trigger, caseRef: o.ref, occurredAt: o.opensAt, data: { offices: { [role]: o.officeId }, dueDate: o.dueDate },
    }, { idempotencyKey: `schedule:${o.key}`, now, requestId: null, billEnabled: bill, appBaseUrl: env.APP_BASE_URL, obligation: true, caseHint: { office: o.officeId } });
    if (result.replayed) return "existing";
    await clearScheduleFailure(db, o.key);
    await wakeAll(env, db, wake, now);
    return "started";
  } catch (e) {
    // The obligation itself, already open: by hand (running), or by an earlier run whose event
    // differed (before obligations opened as of their window's first day) under this same key.
    const refused = refusalOf(e)?.code;
    if (refused === "timeline_already_running" || refused === "idempotency_conflict") {
      await clearScheduleFailure(db, o.key);
      return "existing";
    }
    const code = refused ?? "internal_error";
    console.error(JSON.stringify({ level: "error", action: "schedule.failed", obligation: o.key, code }));
    await recordScheduleFailure(db, { ref: o.key, timeline: o.timeline, officeId: o.officeId, dueDate: o.dueDate }, code, now);
    return "failed";
  }
}
