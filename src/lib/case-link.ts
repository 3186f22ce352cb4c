/**
 * Where a case is read. A reference is unique only for the office that owns
 * it, so every link names the owner too: a link in an email or a list opens
 * that case, whoever else uses the same number.
 */
export function webCasePath(ref: string, owner: string): string {
  return `/cases/${encodeURIComponent(ref)}?ufficio=${encodeURIComponent(owner)}`;
}

export function apiCasePath(ref: string, owner: string): string {
  return `/api/v1/cases/${encodeURIComponent(ref)}?office=${encodeURIComponent(owner)}`;
}
