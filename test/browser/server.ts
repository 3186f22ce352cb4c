/**
 * A real `wrangler dev` for browser tests, in wrangler.jsonc's district layout: its own state,
 * migrations applied to the central database and Turin's and Milan's, the demo directory, and
 * one sweep (which copies the directory into the districts) before the tests begin.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { DISTRICT_BINDINGS, freshState } from "../../bench/dev-server.js";

export interface DevServer {
  base: string;
  stop: () => void;
}

export async function startDevServer(port: number): Promise<DevServer> {
  const state = `.wrangler/browser-state-${port}`;
  await freshState(state, undefined, DISTRICT_BINDINGS);
  const base = `http://localhost:${port}`;
  const child: ChildProcess = spawn("npx", ["wrangler", "dev", "--port", String(port), "--persist-to", state, "--var", `APP_BASE_URL:${base}`, "--test-scheduled", "--log-level", "error"], {
    stdio: ["ignore", "ignore", "inherit"], detached: true,
  });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // starting
    }
    if (i > 240) throw new Error("wrangler dev did not start");
    await new Promise((r) => setTimeout(r, 250));
  }
  const swept = await fetch(`${base}/__scheduled?cron=${encodeURIComponent("*/5 * * * *")}`);
  if (!swept.ok) throw new Error(`the first sweep answered ${swept.status}`);
  return { base, stop: () => process.kill(-child.pid!, "SIGTERM") };
}
