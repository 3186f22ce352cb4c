/**
 * The directory held in memory serves a request's first look without a round trip, but it may be
 * up to a minute old: what it refuses is asked once more of the database before the refusal stands.
 */
import type { Db } from "../db/client.js";
import { type Directory, directory } from "../db/directory.js";
import { PROBLEMS, refusalOf } from "../http/problem.js";

/**
 * Does `act` with `first` (the copy in memory). If that copy was not read in this request and `act`
 * refuses (a 4xx; an outage is not retried), reads the current directory and, if it has changed
 * since, does `act` once more with it: an office, a credential's link or a sender's office created a
 * moment ago is not refused for a minute. `act` must only read: it may run twice.
 */
export async function onCurrentDirectory<T>(db: Db, first: Directory, now: number, act: (dir: Directory) => Promise<T>): Promise<T> {
  // Read before acting: the copy is shared, and a concurrent request may mark it checked meanwhile.
  const loadedNow = first.checkedAt === now;
  try {
    return await act(first);
  } catch (err) {
    const refused = refusalOf(err);
    if (loadedNow || refused === undefined || PROBLEMS[refused.code].status >= 500) throw err;
    const current = await directory(db, undefined, now);
    if (current.stamp === first.stamp) throw err;
    return act(current);
  }
}
