/**
 * Transmitting a report version (which closes its obligation and tells the subscribers above the
 * filing office) and withdrawing a transmission made by mistake, within a short window, by the
 * officer who made it (which reopens the obligation and tells those who were told).
 */
import { and, eq } from "drizzle-orm";
import type { Principal } from "../../auth/principal.js";
import { auditInsert } from "../../db/audit.js";
import { ownedCase } from "../../db/cases.js";
import type { Db } from "../../db/client.js";
import type { StoredReport } from "../../db/reports.js";
import { events, offices, outboundDeliveries, reports } from "../../db/schema.js";
import { eventInsert } from "../../db/outbound.js";
import { DomainFailure } from "../failure.js";
import { RECIPIENTS, type ReportKind, periodEnd, periodMonths } from "../../stats/report.js";
import { italianDate } from "../../engine/civil.js";
import { romeDay } from "../../engine/rome.js";
import { quarterEnds } from "../../timelines/quarters.js";
import { getTimeline } from "../../timelines/catalog.js";
import { obligationRef } from "../../timelines/reporting.js";
import { eventId, outboundEvent } from "../../outbound/events.js";
import { type ApplyOptions, applyEvent } from "../events/apply-event.js";
import type { Stmt } from "../events/changes.js";
import { directory } from "../../db/directory.js";
import { type OutboundFact, outboundRows } from "../subscriptions/outbound.js";

/** How long after transmitting its officer can still withdraw it. */
export const WITHDRAWAL_WINDOW_MS = 2 * 3_600_000;

/**
 * What names one transmission of a version: the first has the version's id alone, a transmission
 * after a withdrawal adds the withdrawal's time. Retries of one transmission share it.
 */
/** What a report's events count in their sequence: the report, whatever its version or transmission. */
const reportSubject = (r: StoredReport) => `report:${r.kind}:${r.period}:${r.scope}`;
const transmission = (r: StoredReport) => (r.withdrawnAt === null ? r.id : `${r.id}:${r.withdrawnAt}`);

/** The fixed-date obligation a report answers: its timeline, office and nominal due date. */
async function obligationOf(db: Db, kind: ReportKind, period: string, scope: string, setting?: string) {
  const year = Number(period.slice(0, 4));
  const quarters = quarterEnds(setting);
  const all = await db.select().from(offices).all();
  switch (kind) {
    case "regional": return { timeline: "regional-report", office: all.find((o) => o.kind === "regione" && o.region === scope), due: `${year + 1}-03-30` };
    case "national": return { timeline: "parliament-report", office: all.find((o) => o.kind === "dipartimento-po"), due: `${year + 1}-06-30` };
    case "compliance-quarterly": return { timeline: "compliance-quarterly", office: all.find((o) => o.id === scope), due: `${year}-${quarters[Number(period.slice(6)) - 1]}` };
    case "compliance-half-yearly": return { timeline: "compliance-half-yearly", office: all.find((o) => o.kind === "pg-appello" && o.jurisdiction === scope), due: `${year}-${quarters[Number(period.slice(6)) * 2 - 1]}` };
  }
}

/** The API address of a report version, scoped as the report is. */
function reportLink(appBaseUrl: string, r: StoredReport): string {
  const param = { regional: "region", national: undefined, "compliance-quarterly": "office", "compliance-half-yearly": "district" }[r.kind as ReportKind];
  const scope = param === undefined ? "" : `&${param}=${encodeURIComponent(r.scope)}`;
  return `${appBaseUrl}/api/v1/reports/${r.kind}/${r.period}?version=${r.version}${scope}`;
}

/** report.published, to the filing office's subscriptions and those of the offices above it. */
async function publishedRows(db: Db, r: StoredReport, officeId: string, appBaseUrl: string, now: number): Promise<Stmt[]> {
  const dir = await directory(db);
  const fact: OutboundFact<"report.published"> = {
    kind: "report.published", key: transmission(r), caseId: null, subject: reportSubject(r), instanceId: null, offices: () => dir.withSuperiors([officeId]),
    data: () => ({ report: { kind: r.kind, period: r.period, scope: r.scope, version: r.version, checksum: r.checksum }, link: reportLink(appBaseUrl, r) }),
  };
  return (await outboundRows(db, dir, [fact], now)).stmts;
}

/** The data of a period still running can change: only a final report is filed; before, a refusal that says from when. */
export function assertPeriodEnded(kind: ReportKind, period: string, now: number): void {
  const end = periodEnd(kind, period);
  if (end !== undefined && now < end) {
    throw new DomainFailure("period_not_ended", `Il periodo (${periodMonths(kind, period)!.label}) non è ancora concluso: la relazione si potrà trasmettere dal ${italianDate(romeDay(end))}, con i dati definitivi`);
  }
}

/** The responsible office files its report: the version is marked submitted and its obligation closes. */
export async function submitReport(
  db: Db, p: Principal, r: StoredReport, now: number, opts: Omit<ApplyOptions, "idempotencyKey" | "now">, quarterEnds?: string,
  caseDbOf: (district: string) => Db = () => db,
): Promise<{ closed: string | null; wake: Awaited<ReturnType<typeof applyEvent>>["wake"] | null; db: Db }> {
  const ob = await obligationOf(db, r.kind as ReportKind, r.period, r.scope, quarterEnds);
  if (p.role !== "admin" && (ob.office === undefined || !p.offices.has(ob.office.id))) {
    throw new DomainFailure("forbidden", "Solo l'ufficio tenuto alla relazione può trasmetterla");
  }
  if (r.submittedAt !== null) throw new DomainFailure("stage_closed", `La versione ${r.version} è già stata trasmessa`);
  assertPeriodEnded(r.kind as ReportKind, r.period, now);
  // The obligation and its outbound event live in the filing office's district; the version with the national ones.
  const cases = ob.office === undefined ? db : caseDbOf(ob.office.jurisdiction);
  const mark: Stmt[] = [
    db.update(reports).set({ submittedAt: now, submittedBy: p.id }).where(eq(reports.id, r.id)),
    // A disclosure to the recipient the law names, for the reason it gives.
    auditInsert(db, {
      actor: p.id, action: "report.submitted", caseId: null, requestId: opts.requestId, reason: `trasmissione prevista dalla legge (${RECIPIENTS[r.kind as ReportKind].basis})`,
      detail: { kind: r.kind, period: r.period, scope: r.scope, version: r.version, checksum: r.checksum, recipients: [RECIPIENTS[r.kind as ReportKind].to] },
    }, now),
  ];
  const published = opts.appBaseUrl !== undefined && ob.office !== undefined ? await publishedRows(cases, r, ob.office.id, opts.appBaseUrl, now) : [];
  // One database: marking the version and closing the obligation are one batch. Two: the obligation
  // closes first (under the version's key, so a retry replays it), then the version is marked; a
  // failure in between leaves the version unsubmitted, and submitting again completes it.
  const together = cases.$client === db.$client;
  const inCaseBatch = together ? [...mark, ...published] : published;
  let outcome: { closed: string | null; wake: Awaited<ReturnType<typeof applyEvent>>["wake"] | null } = { closed: null, wake: null };
  const schedule = getTimeline(ob.timeline)?.schedule;
  const ref = ob.office === undefined || schedule === undefined ? undefined : obligationRef(schedule, ob.due);
  if (ref !== undefined && (await ownedCase(cases, ob.office!.id, ref)) !== undefined) {
    try {
      // The officer acts for the office the obligation is on (checked above), which the
      // obligation's own record involves; it is not a criminal case.
      const actingOffice: Principal = { ...p, role: p.role === "admin" ? "admin" : "staff" };
      const { wake } = await applyEvent(cases, actingOffice, { type: "report.submitted", caseRef: ref, occurredAt: new Date(now).toISOString(), data: {} }, {
        ...opts, idempotencyKey: `report:${transmission(r)}`, now, extra: () => inCaseBatch, caseHint: { office: ob.office!.id },
      });
      if (together) return { closed: ref, wake, db: cases };
      outcome = { closed: ref, wake };
    } catch (e) {
      // The obligation was already closed (an earlier version was filed): the version is still marked.
      if (!(e instanceof DomainFailure) || e.code !== "no_running_timeline") throw e;
    }
  }
  if (outcome.closed === null && !together && published.length > 0) await cases.batch(published as [Stmt, ...Stmt[]]);
  await db.batch((together && outcome.closed === null ? inCaseBatch : mark) as [Stmt, ...Stmt[]]);
  return { ...outcome, db: cases };
}

/** Only the officer who transmitted, and only within the window; before, a refusal that says why. */
export function assertMayWithdraw(p: Principal, r: StoredReport, now: number): asserts r is StoredReport & { submittedAt: number } {
  if (r.submittedAt === null) throw new DomainFailure("stage_closed", `La versione ${r.version} non risulta trasmessa`);
  if (r.submittedBy !== p.id) throw new DomainFailure("forbidden", "Solo chi ha trasmesso la relazione può ritirare la trasmissione");
  if (now - r.submittedAt > WITHDRAWAL_WINDOW_MS) {
    throw new DomainFailure("withdrawal_window_closed", `La trasmissione si può ritirare entro ${WITHDRAWAL_WINDOW_MS / 3_600_000} ore: per correggerla, generare e trasmettere una nuova versione`);
  }
}

/**
 * The officer who transmitted a version withdraws the transmission, within WITHDRAWAL_WINDOW_MS:
 * the version is no longer transmitted, the obligation's closing act is cancelled (it reopens, with
 * its reminders), and every subscription that received report.published receives report.withdrawn.
 */
export async function withdrawReport(
  db: Db, p: Principal, r: StoredReport, now: number, opts: Omit<ApplyOptions, "idempotencyKey" | "now">, quarterEnds?: string,
  caseDbOf: (district: string) => Db = () => db,
): Promise<{ wake: Awaited<ReturnType<typeof applyEvent>>["wake"] | null; db: Db }> {
  assertMayWithdraw(p, r, now);
  const ob = await obligationOf(db, r.kind as ReportKind, r.period, r.scope, quarterEnds);
  const cases = ob.office === undefined ? db : caseDbOf(ob.office.jurisdiction);
  const key = transmission(r);
  // Whoever received the publication is told, whatever kinds their subscription now asks for.
  const publishedId = await eventId(`report.published:${key}`);
  const told = await cases.select({ subscriptionId: outboundDeliveries.subscriptionId }).from(outboundDeliveries).where(eq(outboundDeliveries.eventId, publishedId)).all();
  const tell: Stmt[] = [];
  if (told.length > 0) {
    const e = await outboundEvent("report.withdrawn", key, {
      report: { kind: r.kind, period: r.period, scope: r.scope, version: r.version, checksum: r.checksum }, withdrawnAt: new Date(now).toISOString(),
    }, now);
    tell.push(
      eventInsert(cases, e, null, reportSubject(r), now),
      cases.insert(outboundDeliveries).values(told.map((t) => ({
        id: `${e.id}.${t.subscriptionId}`, eventId: e.id, subscriptionId: t.subscriptionId, instanceId: null, status: "pending" as const, dueAt: now, createdAt: now,
      }))).onConflictDoNothing(),
    );
  }
  const mark: Stmt[] = [
    // Only if still transmitted by this officer: two withdrawals at once make one.
    db.update(reports).set({ submittedAt: null, submittedBy: null, withdrawnAt: now, withdrawnBy: p.id })
      .where(and(eq(reports.id, r.id), eq(reports.submittedBy, p.id), eq(reports.submittedAt, r.submittedAt))),
    auditInsert(db, { actor: p.id, action: "report.withdrawn", caseId: null, requestId: opts.requestId, detail: { kind: r.kind, period: r.period, scope: r.scope, version: r.version, checksum: r.checksum, transmittedAt: r.submittedAt } }, now),
  ];
  // The act that closed the obligation, if this transmission closed it, is cancelled: the obligation reopens.
  const act = await cases.select({ id: events.id }).from(events).where(eq(events.idempotencyKey, `report:${key}`)).get();
  const schedule = getTimeline(ob.timeline)?.schedule;
  const ref = ob.office === undefined || schedule === undefined ? undefined : obligationRef(schedule, ob.due);
  const together = cases.$client === db.$client;
  let wake: Awaited<ReturnType<typeof applyEvent>>["wake"] | null = null;
  if (act !== undefined && ref !== undefined && (await ownedCase(cases, ob.office!.id, ref)) !== undefined) {
    const actingOffice: Principal = { ...p, role: p.role === "admin" ? "admin" : "staff" };
    ({ wake } = await applyEvent(cases, actingOffice, { type: "event.cancelled", caseRef: ref, occurredAt: new Date(now).toISOString(), data: { eventId: act.id } }, {
      ...opts, idempotencyKey: `report-withdrawal:${key}`, now, extra: () => (together ? [...tell, ...mark] : tell), caseHint: { office: ob.office!.id },
    }));
    if (together) return { wake, db: cases };
  } else if (tell.length > 0) await cases.batch(tell as [Stmt, ...Stmt[]]);
  await db.batch(mark as [Stmt, ...Stmt[]]);
  return { wake, db: cases };
}
