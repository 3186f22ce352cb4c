/**
 * A real `wrangler dev` on its own state directory, for the benchmarks and
 * the fault run: migrations and the demo directory applied, started, killed
 * (SIGKILL: nothing shuts down cleanly) or stopped.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";

/** Runs a wrangler command against the local state (of the Worker `config` names); its standard output. */
export function wrangler(args: string[], state: string, config = "wrangler.jsonc"): string {
  const r = spawnSync("npx", ["wrangler", ...args, "--local", "--persist-to", state, "-c", config], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (r.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed`);
  return r.stdout;
}

/** The district layout's databases (wrangler.jsonc): the central one, Turin's and Milan's. */
export const DISTRICT_BINDINGS = ["DB", "DISTRICT_TO", "DISTRICT_MI"] as const;

/**
 * An empty state with the migrations (on each of `bindings`, all at once: each is its own SQLite
 * file) and the demo directory (in the central database).
 */
export async function freshState(state: string, config = "wrangler.jsonc", bindings: readonly string[] = ["DB"]): Promise<void> {
  rmSync(state, { recursive: true, force: true });
  const run = promisify(execFile);
  await Promise.all(bindings.map((b) => run("npx", ["wrangler", "d1", "migrations", "apply", b, "--local", "--persist-to", state, "-c", config])));
  wrangler(["d1", "execute", "DB", "--file", "seeds/demo.sql"], state, config);
}

/** Rows of one SQL statement on the local state's database `binding` (`wrangler d1 execute --json`). */
export function query<T>(state: string, sql: string, config = "wrangler.jsonc", binding = "DB"): T[] {
  return queries(state, [sql], config, binding)[0] as T[];
}

/** Rows of several statements on one database, in one wrangler run (each run costs seconds). */
export function queries(state: string, sqls: readonly string[], config = "wrangler.jsonc", binding = "DB"): Record<string, unknown>[][] {
  const out = JSON.parse(wrangler(["d1", "execute", binding, "--json", "--command", sqls.join(";\n")], state, config)) as { results: Record<string, unknown>[] }[];
  return out.map((r) => r.results);
}

export class DevServer {
  private child: ChildProcess | undefined;
  constructor(private readonly port: number, private readonly state: string, private readonly args: string[] = []) {}
  get base(): string { return `http://127.0.0.1:${this.port}`; }

  async start(): Promise<void> {
    // The single-database layout unless the caller names districts: the state's other databases stay unmigrated.
    const layout = this.args.some((a) => a.startsWith("DISTRICTS:")) ? [] : ["--var", "DISTRICTS:"];
    this.child = spawn("npx", ["wrangler", "dev", "--port", String(this.port), "--persist-to", this.state, "--log-level", "error", ...layout, ...this.args], {
      stdio: ["ignore", "ignore", "ignore"], detached: true,
    });
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${this.base}/healthz`)).ok) return;
      } catch {
        // starting
      }
      if (i > 480) throw new Error("wrangler dev did not start");
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** SIGKILL to the whole process group: whatever was in flight is lost mid-way. */
  kill(): void {
    if (this.child?.pid !== undefined) process.kill(-this.child.pid, "SIGKILL");
    this.child = undefined;
  }

  stop(): void {
    if (this.child?.pid !== undefined) process.kill(-this.child.pid, "SIGTERM");
    this.child = undefined;
  }
}
