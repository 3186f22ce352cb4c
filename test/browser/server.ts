/** A real `wrangler dev` for browser tests: its own state, migrations and demo directory applied. */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";

export interface DevServer {
  base: string;
  stop: () => void;
}

export async function startDevServer(port: number): Promise<DevServer> {
  const state = `.wrangler/browser-state-${port}`;
  rmSync(state, { recursive: true, force: true });
  for (const args of [["d1", "migrations", "apply", "DB"], ["d1", "execute", "DB", "--file", "seeds/demo.sql"]]) {
    const r = spawnSync("npx", ["wrangler", ...args, "--local", "--persist-to", state], { stdio: ["ignore", "ignore", "inherit"] });
    if (r.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed`);
  }
  const base = `http://localhost:${port}`;
  const child: ChildProcess = spawn("npx", ["wrangler", "dev", "--port", String(port), "--persist-to", state, "--var", `APP_BASE_URL:${base}`, "--var", "DISTRICTS:", "--log-level", "error"], {
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
  return { base, stop: () => process.kill(-child.pid!, "SIGTERM") };
}
