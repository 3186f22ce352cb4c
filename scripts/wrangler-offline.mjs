/**
 * Wrangler never asks npm for a newer version of itself, whatever it runs into.
 *
 * Wrangler's update check (the `update-check` package) runs on more paths than the banner that
 * WRANGLER_HIDE_BANNER hides (which is all `.env` could stop): after any error that is not the
 * user's ("If you think this is a bug…"), on a configuration with fields it does not know, and on
 * a compatibility date newer than its runtime. No setting turns it off; it does skip the registry
 * while its cache file, `<os.tmpdir()>/update-check/wrangler-latest.json`, says it checked less
 * than an hour before. So every wrangler this project starts gets its own TMPDIR (under
 * `.wrangler/`, never the machine's) holding that file, marked as checked at the end of time.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

/** The largest instant a JavaScript date can hold: the next check is never due. */
const END_OF_TIME = 8.64e15;

/**
 * Writes the cache under `root`/.wrangler/tmp and returns the environment variables that point
 * wrangler at it (also apply them to this process, so that every child inherits them).
 */
export function offlineWranglerEnv(root = process.cwd()) {
  const tmp = resolve(root, ".wrangler", "tmp");
  const dir = join(tmp, "update-check");
  mkdirSync(dir, { recursive: true });
  const { version } = JSON.parse(readFileSync(createRequire(join(root, "package.json")).resolve("wrangler/package.json"), "utf8"));
  // The installed version as the latest: nothing newer to announce, nothing to fetch.
  writeFileSync(join(dir, "wrangler-latest.json"), JSON.stringify({ latest: version, lastUpdate: END_OF_TIME }));
  return { TMPDIR: tmp, WRANGLER_SEND_METRICS: "false", WRANGLER_SEND_ERROR_REPORTS: "false", WRANGLER_HIDE_BANNER: "true" };
}
