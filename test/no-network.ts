/**
 * The proof that a test run contacts nothing beyond this machine: every Node process of the run
 * (vitest, its workers, each wrangler it starts) preloads scripts/no-network.cjs, which refuses
 * and logs any other connection or lookup. The run fails if the log is not empty at the end.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";

export default function setup() {
  const log = process.env.TERMINI_NETWORK_LOG!;
  rmSync(log, { force: true });
  return () => {
    const refused = existsSync(log) ? readFileSync(log, "utf8").trim() : "";
    if (refused !== "") throw new Error(`The test run tried to reach the network:\n${refused}`);
  };
}
