/**
 * Timelines on dates fixed by law start themselves: on each cron run, for
 * every enabled timeline with a schedule and every office of the
 * responsible kind, an instance is opened `leadDays` before each due date
 * (once: the idempotency key names the office and the date).
 */
import { daysFromCivil, isoDate, type DayNumber, packedFromDays } from "../engine/civil.js";
import { formatRomeInstant, romeDay } from "../engine/rome.js";
import type { Principal } from "../auth/principal.js";
import { database } from "../db/client.js";
import { allOfficesOfKind } from "../db/directory.js";
import { applyEvent } from "../domain/apply-event.js";
import type { Bindings } from "../env.js";
import { ApiError } from "../http/problem.js";
import { enabledBills, isEnabled, latest } from "../timelines/catalog.js";
import type { Schedule } from "../timelines/definition.js";
import { quarterEnds } from "../timelines/quarters.js";
import { wakeAll } from "./wake.js";

const SYSTEM: Principal = { id: "system:schedule", role: "admin", offices: new Set() };
/** The MM-DD due dates of a schedule under the deployment's quarter ends. */
export function scheduleDates(s: Schedule, setting: string | undefined): string[] {
  const quarters = quarterEnds(setting);
  if (s.dates === "quarter-ends") return quarters;
  if (s.dates === "half-year-ends") return quarters.filter((_, i) => i % 2 === 1);
  return s.dates;
}

/** Due days whose lead window contains `today`. Pure. */
export function dueWithinLead(dates: readonly string[], leadDays: number, today: DayNumber): DayNumber[] {
  const year = Math.floor(packedFromDays(today) / 10000);
  const out: DayNumber[] = [];
  for (const y of [year, year + 1]) {
    for (const mmdd of dates) {
      const due = daysFromCivil(y, Number(mmdd.slice(0, 2)), Number(mmdd.slice(3, 5)));
      if (today >= due - leadDays && today <= due) out.push(due);
    }
  }
  return out;
}

export async function startScheduled(env: Bindings, now: number): Promise<{ started: number; existing: number }> {
  const db = database(env.DB);
  const bill = enabledBills(env.ENABLED_BILLS);
  let started = 0;
  let existing = 0;
  for (const def of latest().filter((t) => t.schedule !== undefined && isEnabled(t, bill))) {
    const s = def.schedule!;
    const role = s.office;
    const due = dueWithinLead(scheduleDates(s, env.COMPLIANCE_QUARTER_ENDS), s.leadDays, romeDay(now));
    if (due.length === 0) continue;
    for (const office of await allOfficesOfKind(db, def.roles[role]!)) {
      for (const day of due) {
        const ref = `${def.id}/${office.id}/${isoDate(day)}`;
        try {
          const { result, wake } = await applyEvent(db, SYSTEM, {
            type: def.trigger, caseRef: ref, occurredAt: formatRomeInstant(now), data: { offices: { [role]: office.id }, dueDate: isoDate(day) },
          }, { idempotencyKey: `schedule:${ref}`, now, requestId: null, billEnabled: bill });
          if (result.replayed) existing++;
          else started++;
          await wakeAll(env, db, wake, now);
        } catch (e) {
          // Already running (e.g. started by hand), or an office the directory cannot resolve: next time.
          if (!(e instanceof ApiError)) throw e;
          existing++;
        }
      }
    }
  }
  return { started, existing };
}
