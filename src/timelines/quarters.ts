/** The compliance quarters of a deployment (COMPLIANCE_QUARTER_ENDS), read in one place. */
export const DEFAULT_QUARTER_ENDS = "03-31,06-30,09-30,12-31";

/** Quarter ends as MM-DD, in order; the default when unset, malformed entries dropped. */
export function quarterEnds(setting: string | undefined): string[] {
  return (setting || DEFAULT_QUARTER_ENDS).split(",").map((q) => q.trim()).filter((q) => /^\d{2}-\d{2}$/.test(q));
}

/**
 * Art. 127 co. 1-bis disp. att. c.p.p. fixes no day for the compliance data:
 * a deployment sets how many days after a quarter the Procure's data are due
 * (COMPLIANCE_DATA_LAG_DAYS, default 15) and after a half-year the PG's
 * report is (COMPLIANCE_REPORT_LAG_DAYS, default 30: after the Procure's data
 * for the half-year, with the same time again to write it).
 */
export const DEFAULT_LAGS = { "compliance-data": 15, "compliance-report": 30 } as const;
export type LagSetting = keyof typeof DEFAULT_LAGS;

/** A lag setting's days: the default when unset; undefined when malformed (a misconfiguration). */
export function lagDays(kind: LagSetting, setting: string | undefined): number | undefined {
  if (setting === undefined || setting.trim() === "") return DEFAULT_LAGS[kind];
  return /^\d{1,3}$/.test(setting.trim()) && Number(setting) <= 120 ? Number(setting) : undefined;
}

export function complianceLags(env: { COMPLIANCE_DATA_LAG_DAYS?: string; COMPLIANCE_REPORT_LAG_DAYS?: string }): Record<LagSetting, number> {
  return {
    "compliance-data": lagDays("compliance-data", env.COMPLIANCE_DATA_LAG_DAYS) ?? DEFAULT_LAGS["compliance-data"],
    "compliance-report": lagDays("compliance-report", env.COMPLIANCE_REPORT_LAG_DAYS) ?? DEFAULT_LAGS["compliance-report"],
  };
}
