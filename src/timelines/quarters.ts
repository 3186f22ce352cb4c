import { config } from "../config.js";

/** The compliance quarters of a deployment (COMPLIANCE_QUARTER_ENDS), read in one place. */
const DEFAULT_QUARTER_ENDS = "03-31,06-30,09-30,12-31";

/** Quarter ends as MM-DD, in order; the default when unset, malformed entries dropped. */
export function quarterEnds(setting: string | undefined): string[] {
  return (setting || DEFAULT_QUARTER_ENDS).split(",").map((q) => q.trim()).filter((q) => /^\d{2}-\d{2}$/.test(q));
}

/**
 * Art. 127 co. 1-bis disp. att. c.p.p. fixes no day for the compliance data:
 * a deployment sets how many days after a quarter the Procure's data are due
 * (COMPLIANCE_DATA_LAG_DAYS, default 15) and after a half-year the PG's
 * report is (COMPLIANCE_REPORT_LAG_DAYS, default 30: after the Procure's data
 * for the half-year, with the same time again to write it). Read and checked
 * with the rest of the settings (src/config.ts).
 */
export type LagSetting = "compliance-data" | "compliance-report";

export function complianceLags(env: object): Record<LagSetting, number> {
  const c = config(env);
  return { "compliance-data": c.COMPLIANCE_DATA_LAG_DAYS, "compliance-report": c.COMPLIANCE_REPORT_LAG_DAYS };
}
