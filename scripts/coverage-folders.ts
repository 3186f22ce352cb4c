/**
 * The coverage figure per folder of src/, from istanbul's json-summary (npm run test:coverage
 * writes it): statements, branches, functions and lines covered, as counts summed over the
 * folder's files rather than an average of their percentages, so a large file weighs what it holds.
 * `--markdown` prints the table docs/testing.md carries.
 */
import { readFileSync } from "node:fs";
import { relative, sep } from "node:path";

type Metric = { total: number; covered: number };
type FileSummary = Record<"statements" | "branches" | "functions" | "lines", Metric>;
const METRICS = ["statements", "branches", "functions", "lines"] as const;

const summary = JSON.parse(readFileSync("coverage/coverage-summary.json", "utf8")) as Record<string, FileSummary>;

/** src/engine, src/domain/events (the domain's own folders count apart), or src for top-level files. */
function folderOf(file: string): string {
  const parts = relative(process.cwd(), file).split(sep);
  if (parts.length <= 2) return "src (top-level files)";
  return parts.slice(0, parts[1] === "domain" && parts.length > 3 ? 3 : 2).join("/");
}

const folders = new Map<string, FileSummary>();
const blank = (): FileSummary => ({ statements: { total: 0, covered: 0 }, branches: { total: 0, covered: 0 }, functions: { total: 0, covered: 0 }, lines: { total: 0, covered: 0 } });
for (const [file, s] of Object.entries(summary)) {
  if (file === "total") continue;
  const f = folders.get(folderOf(file)) ?? blank();
  for (const m of METRICS) {
    f[m].total += s[m].total;
    f[m].covered += s[m].covered;
  }
  folders.set(folderOf(file), f);
}

const pct = (m: Metric) => (m.total === 0 ? "—" : `${((100 * m.covered) / m.total).toFixed(1)} %`);
const rows = [...folders].sort(([a], [b]) => a.localeCompare(b)).map(([name, f]) => [name, ...METRICS.map((m) => pct(f[m]))]);
rows.push(["all of src", ...METRICS.map((m) => pct(summary.total![m]))]);

if (process.argv.includes("--markdown")) {
  console.log(`| folder | ${METRICS.join(" | ")} |\n| --- | ${METRICS.map(() => "---:").join(" | ")} |`);
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
} else {
  const width = Math.max(...rows.map((r) => r[0]!.length));
  console.log(`${"folder".padEnd(width)}  ${METRICS.map((m) => m.padStart(10)).join(" ")}`);
  for (const [name, ...v] of rows) console.log(`${name!.padEnd(width)}  ${v.map((x) => x.padStart(10)).join(" ")}`);
}
