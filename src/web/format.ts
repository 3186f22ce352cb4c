/** Dates as staff read them: Rome time, short Italian form; "—" for none. */
export function romeDateTime(at: number | string | null): string {
  return at === null ? "—" : new Date(at).toLocaleString("it-IT", { timeZone: "Europe/Rome", dateStyle: "short", timeStyle: "short" });
}
