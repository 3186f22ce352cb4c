/**
 * The capacity model: measured figures per case, event, message and report,
 * times the stated yearly volumes, against the platform's limits. Inputs
 * that are assumptions, not measurements, are named and can be changed
 * from the environment.
 */

export interface Measured {
  cases: number;
  events: number;
  timelines: number;
  messages: number;
  bytesPerCase: number;
  readPerEvent: number;
  writtenPerEvent: number;
  statementsPerEvent: number;
  readPerMessage: number;
  writtenPerMessage: number;
  statementsPerMessage: number;
  reportRead: number;
}

/** Cloudflare's published limits (Workers Paid), as read in their documentation (D1 and Workflows limits pages, 2026). */
const LIMITS = {
  d1DatabaseBytes: 10e9,
  d1DatabasesPerAccount: 50_000,
  d1StoragePerAccountBytes: 1e12,
  /** D1 runs one query at a time per database; Cloudflare's rule of thumb: ~1 ms queries give ~1,000 per second. */
  d1QueriesPerSecond: 1_000,
  /** Running instances only: waiting ones (sleeping, waiting for an event or a retry) do not count. */
  workflowsConcurrentPerAccount: 50_000,
  workflowCreationsPerSecond: 100,
};

const GB = 1e9;
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function project(m: Measured, env: Record<string, string | undefined>): string {
  // Assumptions (inputs, not measurements): a deliberately high national volume — twice the roughly 50,000
  // new proceedings a year for maltrattamenti, atti persecutori and violenza sessuale — and the busiest district's share.
  const casesPerYear = Number(env.CAPACITY_CASES_PER_YEAR ?? 100_000);
  const busiestShare = Number(env.CAPACITY_BUSIEST_SHARE ?? 0.12);
  const retentionYears = Number(env.RETENTION_YEARS ?? 5);
  /** How long a timeline's workflow lives on average (362-bis ~35 days, programmes 8 months). */
  const timelineDays = Number(env.CAPACITY_TIMELINE_DAYS ?? 60);
  /** Events and messages fall in working hours: 250 days of 10 hours. */
  const workingSeconds = 250 * 10 * 3600;

  const perCase = { events: m.events / m.cases, timelines: m.timelines / m.cases, messages: m.messages / m.cases };
  const scopes = [
    { name: "busiest district", cases: casesPerYear * busiestShare },
    { name: "country, one database", cases: casesPerYear },
  ];
  const lines = [
    "",
    `projection: ${fmt(casesPerYear)} new cases a year nationally (CAPACITY_CASES_PER_YEAR), busiest district ${fmt(busiestShare * 100)} % (CAPACITY_BUSIEST_SHARE),`,
    `retention ${retentionYears} years after the last activity, timelines living ${timelineDays} days on average (CAPACITY_TIMELINE_DAYS);`,
    `per case: ${fmt(perCase.events, 1)} events, ${fmt(perCase.timelines, 1)} timelines, ${fmt(perCase.messages, 1)} messages`,
    "",
    "| scope | stored per year | years to 10 GB without retention | held with retention | D1 statements/s (working hours) | workflows created/s | workflows alive at once (mostly waiting) |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  const use: { what: string; share: number }[] = [];
  for (const s of scopes) {
    const bytesYear = s.cases * m.bytesPerCase;
    const held = bytesYear * (retentionYears + 1);
    const statementsPerSecond = (s.cases * (perCase.events * m.statementsPerEvent + perCase.messages * m.statementsPerMessage)) / workingSeconds;
    const creations = (s.cases * perCase.timelines) / workingSeconds;
    const alive = (s.cases * perCase.timelines * timelineDays) / 365;
    lines.push(`| ${s.name} | ${fmt(bytesYear / GB, 2)} GB | ${fmt(LIMITS.d1DatabaseBytes / bytesYear, 0)} | ${fmt(held / GB, 1)} GB | ${fmt(statementsPerSecond, 2)} | ${fmt(creations, 3)} | ${fmt(alive)} |`);
    use.push(
      { what: `${s.name}: D1 size with retention`, share: held / LIMITS.d1DatabaseBytes },
      { what: `${s.name}: D1 queries per second`, share: statementsPerSecond / LIMITS.d1QueriesPerSecond },
    );
    // Only running instances count towards Workflows' concurrency; ours wait (waitForEvent) between messages.
    if (s.cases === casesPerYear) use.push({ what: "country: workflow creation rate", share: creations / LIMITS.workflowCreationsPerSecond });
  }
  use.sort((a, b) => b.share - a.share);
  lines.push(
    "",
    `limits: D1 ${fmt(LIMITS.d1DatabaseBytes / GB)} GB per database, ${fmt(LIMITS.d1DatabasesPerAccount)} databases and ${fmt(LIMITS.d1StoragePerAccountBytes / GB)} GB per account, ~${fmt(LIMITS.d1QueriesPerSecond)} queries/s per database;`,
    `Workflows ${fmt(LIMITS.workflowsConcurrentPerAccount)} concurrent running instances per account (waiting ones do not count: ours wait between messages), ${LIMITS.workflowCreationsPerSecond} created/s per workflow.`,
    "share of each limit used, highest first:",
    ...use.map((u) => `  ${fmt(u.share * 100, 1).padStart(6)} %  ${u.what}`),
  );
  return lines.join("\n");
}
