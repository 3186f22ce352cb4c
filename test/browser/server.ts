/**
 * A real `wrangler dev` for browser tests, in wrangler.jsonc's district layout: its own state,
 * migrations applied to the central database and Turin's and Milan's, the demo directory, and
 * one sweep (which copies the directory into the districts) before the tests begin.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";

export interface DevServer {
  base: string;
  stop: () => void;
}

export async function startDevServer(port: number): Promise<DevServer> {
  const state = `.wrangler/browser-state-${port}`;
  rmSync(state, { recursive: true, force: true });
  const steps = [...["DB", "DISTRICT_TO", "DISTRICT_MI"].map((b) => ["d1", "migrations", "apply", b]), ["d1", "execute", "DB", "--file", "seeds/demo.sql"]];
  for (const args of steps) {
    const r = spawnSync("npx", ["wrangler", ...args, "--local", "--persist-to", state], { stdio: ["ignore", "ignore", "inherit"] });
    if (r.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed`);
  }
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
