/**
 * npm run size — the Worker's bundle size, gzipped as Cloudflare counts it
 * (`wrangler deploy --dry-run`), and its start-up CPU time from `wrangler
 * check startup`'s profile (median of several runs: the profiler samples
 * about once a millisecond), with what start-up spends it on.
 * Targets: at most 250 KiB gzipped, at most 50 ms of start-up CPU.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const RUNS = Number(process.env.SIZE_RUNS ?? 5);
const dir = mkdtempSync(join(tmpdir(), "termini-size-"));

function run(args: string[]): string {
  const r = spawnSync("npx", ["wrangler", ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed:\n${r.stderr}`);
  return r.stdout + r.stderr;
}

interface Node { id: number; callFrame: { functionName: string }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }

/** CPU milliseconds (every sample but idle), and the share under each of the named functions. */
function analyse(p: Profile, named: string[]): { cpu: number; under: Record<string, number> } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const under = Object.fromEntries(named.map((f) => [f, 0]));
  let cpu = 0;
  p.samples.forEach((id, i) => {
    // A sample's time is the delta to the next one.
    const ms = (p.timeDeltas[i + 1] ?? 0) / 1000;
    if (byId.get(id)!.callFrame.functionName === "(idle)") return;
    cpu += ms;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame.functionName;
      if (f in under && !seen.has(f)) {
        under[f]! += ms;
        seen.add(f);
      }
    }
  });
  return { cpu, under };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const deploy = run(["deploy", "--dry-run", "--outdir", join(dir, "bundle")]);
const size = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(deploy);
if (size === null) throw new Error(`no size in wrangler's output:\n${deploy}`);
const gzip = Number(size[2]);

const NAMED = ["loadTimeline", "getCalendar", "createApp"];
const runs = Array.from({ length: RUNS }, (_, i) => {
  const file = join(dir, `startup-${i}.cpuprofile`);
  run(["check", "startup", "--outfile", file]);
  return analyse(JSON.parse(readFileSync(file, "utf8")) as Profile, NAMED);
});
const cpu = median(runs.map((r) => r.cpu));
console.log(`bundle: ${size[1]} KiB, ${gzip} KiB gzipped (target <= 250 KiB gzipped)`);
const all = runs.map((r) => r.cpu).sort((a, b) => a - b);
console.log(`start-up CPU: ${cpu.toFixed(1)} ms, median of ${RUNS} profiles (min ${all[0]!.toFixed(1)}, max ${all.at(-1)!.toFixed(1)}; target <= 50 ms)`);
for (const f of NAMED) console.log(`  under ${f}: ${median(runs.map((r) => r.under[f]!)).toFixed(1)} ms`);
const ok = gzip <= 250 && cpu <= 50;
console.log(ok ? "within both targets" : "OVER TARGET");
if (!ok) process.exitCode = 1;
