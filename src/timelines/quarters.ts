/** The compliance quarters of a deployment (COMPLIANCE_QUARTER_ENDS), read in one place. */
export const DEFAULT_QUARTER_ENDS = "03-31,06-30,09-30,12-31";

/** Quarter ends as MM-DD, in order; the default when unset, malformed entries dropped. */
export function quarterEnds(setting: string | undefined): string[] {
  return (setting || DEFAULT_QUARTER_ENDS).split(",").map((q) => q.trim()).filter((q) => /^\d{2}-\d{2}$/.test(q));
}
