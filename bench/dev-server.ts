/**
 * A real `wrangler dev` on its own state directory, for the benchmarks and
 * the fault run: migrations and the demo directory applied, started, killed
 * (SIGKILL: nothing shuts down cleanly) or stopped.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { executeLocal, prepareLocalState, queryLocal } from "../scripts/local-d1.mjs";
import { offlineWranglerEnv } from "../scripts/wrangler-offline.mjs";

// Every wrangler started from here (and its children) inherits it: no update check, ever.
Object.assign(process.env, offlineWranglerEnv());

/** Runs SQL text (a file's or a command's statements) on the local state's database `binding`, in one batch. */
export function execute(state: string, sql: string, config = "wrangler.jsonc", binding = "DB"): Promise<void> {
  return executeLocal(state, binding, sql, { config });
}

/** The district layout's databases (wrangler.jsonc): the central one, Turin's and Milan's. */
export const DISTRICT_BINDINGS = ["DB", "DISTRICT_TO", "DISTRICT_MI"] as const;

/**
 * An empty state with the migrations (on each of `bindings`, one after the other in one process:
 * see scripts/local-d1.mjs) and the demo directory (in the central database).
 */
export async function freshState(state: string, config = "wrangler.jsonc", bindings: readonly string[] = ["DB"]): Promise<void> {
  rmSync(state, { recursive: true, force: true });
  await prepareLocalState(state, { config, bindings, seeds: [{ binding: "DB", file: "seeds/demo.sql" }] });
}

/** Rows of one SQL statement on the local state's database `binding`. */
export async function query<T>(state: string, sql: string, config = "wrangler.jsonc", binding = "DB"): Promise<T[]> {
  return (await queries(state, [sql], config, binding))[0] as T[];
}

/** Rows of several statements on one database, in one batch. */
export function queries(state: string, sqls: readonly string[], config = "wrangler.jsonc", binding = "DB"): Promise<Record<string, unknown>[][]> {
  return queryLocal(state, binding, sqls, { config });
}

/**
 * The cron's clock in the tests that run wrangler dev. Unset: the real time, as a deployment's cron.
 * TERMINI_CRON_AT (an RFC 3339 instant, later than now): the cron runs as if it were that instant,
 * moving on with the real clock from the run's start — the scheduler opens the obligations that
 * day makes due and the sweep delivers as of then. How the suite is checked on the days around
 * each quarter's and year's end, the only way the real date reaches these tests.
 */
const CRON_AT = process.env.TERMINI_CRON_AT === undefined ? undefined : Date.parse(process.env.TERMINI_CRON_AT);
const RUN_STARTED = Date.now();
if (CRON_AT !== undefined && !(CRON_AT > RUN_STARTED)) throw new Error(`TERMINI_CRON_AT must be an RFC 3339 instant later than now: ${process.env.TERMINI_CRON_AT}`);

/** How long a start may take on a busy shared machine before it counts as failed (it normally takes seconds). */
const START_WITHIN_MS = 300_000;

export class DevServer {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  /** The server's last lines of output, shown when it fails to start or exits early. */
  private tail: string[] = [];
  constructor(private readonly port: number, private readonly state: string, private readonly args: string[] = [], private readonly host = "127.0.0.1") {}
  get base(): string { return `http://${this.host}:${this.port}`; }

  /** What the server last printed, and whether it answers /healthz now (within 10 s): for a test that failed against it. */
  async diagnosis(): Promise<string> {
    const started = Date.now();
    const health = await fetch(`${this.base}/healthz`, { signal: AbortSignal.timeout(10_000) }).then((r) => `answers ${r.status}`, (e: Error) => `does not answer (${e.name})`);
    return `wrangler dev on ${this.base} ${this.child === undefined ? "stopped" : "running"}, /healthz ${health} in ${Date.now() - started} ms; its last output:\n${this.tail.join("\n") || "(none)"}`;
  }

  /** Started and answering /healthz; a server that exits first, or never answers, fails with its last output. */
  async start(): Promise<void> {
    // The single-database layout unless the caller names districts: the state's other databases stay unmigrated.
    const layout = this.args.some((a) => a.startsWith("DISTRICTS:")) ? [] : ["--var", "DISTRICTS:"];
    // An inspector port of its own: two servers starting at once would both try the default 9229.
    const inspector = this.args.includes("--inspector-port") ? [] : ["--inspector-port", String(this.port + 20_000)];
    const child = spawn("npx", ["wrangler", "dev", "--port", String(this.port), ...inspector, "--persist-to", this.state, "--log-level", "error", ...layout, ...this.args], {
      stdio: ["ignore", "pipe", "pipe"], detached: true,
    });
    this.child = child;
    this.tail = [];
    const keep = (chunk: Buffer) => { this.tail = [...this.tail, ...chunk.toString().split("\n").filter((l) => l.trim() !== "")].slice(-40); };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    let code: number | null | undefined;
    this.exited = new Promise((r) => child.once("exit", (c) => { code = c; r(); }));
    const until = Date.now() + START_WITHIN_MS;
    for (;;) {
      if (code !== undefined) throw new Error(`wrangler dev exited (${code}) before answering:\n${this.tail.join("\n")}`);
      try {
        if ((await fetch(`${this.base}/healthz`)).ok) return;
      } catch {
        // starting
      }
      if (Date.now() > until) throw new Error(`wrangler dev did not answer within ${START_WITHIN_MS / 1000} s:\n${this.tail.join("\n")}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Runs the five-minute cron once (sweep, schedule, sign-in purge), at the cron's clock (see TERMINI_CRON_AT); its answer's status. */
  async cron(): Promise<number> {
    const time = CRON_AT === undefined ? "" : `&time=${CRON_AT + (Date.now() - RUN_STARTED)}`;
    const res = await fetch(`${this.base}/__scheduled?cron=${encodeURIComponent("*/5 * * * *")}${time}`);
    await res.arrayBuffer();
    return res.status;
  }

  /** SIGKILL to the whole process group: whatever was in flight is lost mid-way. Resolves once it has exited. */
  kill(): Promise<void> {
    return this.end("SIGKILL");
  }

  /** SIGTERM to the whole process group; resolves once it has exited. Stopping a server that has exited already is not an error. */
  stop(): Promise<void> {
    return this.end("SIGTERM");
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const pid = this.child?.pid;
    this.child = undefined;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch (e) {
      // ESRCH: the group is gone already.
      if ((e as NodeJS.ErrnoException).code !== "ESRCH") throw e;
    }
    await this.exited;
    // The runtime (workerd) is a grandchild: wait until no process of the group is left, so the next
    // start finds the port and the files free (bounded: a zombie nobody reaps would answer forever).
    for (const until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
      try {
        process.kill(-pid, 0);
      } catch {
        return;
      }
    }
  }
}
