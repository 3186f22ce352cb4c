/**
 * How long a case's proceeding data is kept. Personal data processed for
 * criminal proceedings must be kept no longer than the purposes need (D.Lgs.
 * 51/2018 art. 3 co. 1 lett. e; GDPR art. 5(1)(e) for the administrative
 * parts). Termini's purpose is the deadlines: once no timeline of a case
 * runs and nothing has happened on it for the retention period, its events,
 * deadlines and notifications go; the monthly counters the reports read stay
 * (they hold no case), and the audit log records the purge.
 *
 * The law fixes no number of years for this data: the period is the
 * deployment's decision, taken with its data-protection officer
 * (RETENTION_YEARS, src/config.ts), five years by default.
 */
/** Inbound receipts answer a repeated webhook-id; a repeat comes within the signature's five minutes. */
export const RECEIPT_RETENTION_MS = 30 * 86_400_000;

/**
 * The instant before which a case's last activity makes it purgeable: the
 * same calendar instant `years` years before `now` (29 February goes to
 * 1 March, as Date does).
 */
export function retentionCutoff(now: number, years: number): number {
  const d = new Date(now);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.getTime();
}
