import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { offlineWranglerEnv } from "./scripts/wrangler-offline.mjs";

// The numbered migrations, then the demo directory as the tests' fixture
// (fictional offices, example.org addresses).
const schema = await readD1Migrations("./migrations");
const migrations = [...schema, { name: "demo-seed", queries: [readFileSync("./seeds/demo.sql", "utf8").replace(/^--.*$/gm, "")] }];

// Nothing may reach the network: this process and every Node process it starts (pool workers,
// wrangler dev) refuse and log any connection beyond this machine; test/no-network.ts fails the run on any.
const guard = resolve("scripts/no-network.cjs");
mkdirSync(".wrangler", { recursive: true });
process.env.TERMINI_NETWORK_LOG = resolve(".wrangler/network-refused.log");
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} --require ${guard}`.trim();
createRequire(import.meta.url)(guard);
// Nor may wrangler ask npm for a newer version of itself, on any path (scripts/wrangler-offline.mjs).
Object.assign(process.env, offlineWranglerEnv());

// The mailer spaces its requests to Resend's limit (4.5 a second in wrangler.jsonc): 222 ms
// per email, which the tests' fake provider does not ask for (it enforces a limit only when a
// test sets one). The spacing has its own test (test/delivery/pace.test.ts); bench:morning measures it
// against the fake's enforced limit; the browser and fault runs keep wrangler.jsonc's value.
const UNPACED = { MAIL_RATE_PER_SECOND: "100" };

export default defineConfig({
  test: {
    // Two files at a time on the 2-core CI machines (vitest's default would be one): the fault and
    // browser files mostly wait on wrangler dev and Chromium, so another file runs meanwhile.
    maxWorkers: 2,
    reporters: ["default", "./test/summary-reporter.ts"],
    globalSetup: ["./test/no-network.ts", "./test/fake-resend/global-setup.ts"],
    // npm run test:coverage: istanbul, because the workers pool cannot give V8 coverage; the browser
    // and fault projects drive a separate wrangler dev process, which nothing here can measure.
    coverage: {
      provider: "istanbul",
      include: ["src/**/*.{ts,tsx}"],
      // Generated data, not code: the catalogue's JSON is imported, the SQL text is inlined.
      exclude: ["src/**/*.generated.*", "src/preview/schema-sql.ts"],
      reporter: [["text", { skipFull: true }], "json-summary", "json", "html"],
      reportsDirectory: "coverage",
    },
    projects: [
      {
        // Everything that runs the service: inside workerd.
        // The single-database layout (DISTRICTS empty): every case in DB, as most deployments start.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.jsonc" },
            // TERMINI_TEST_BUDGET: how many random cases the sampling tests try (test/budget.ts).
            miniflare: { bindings: { TEST_MIGRATIONS: migrations, DISTRICTS: "", TERMINI_TEST_BUDGET: process.env.TERMINI_TEST_BUDGET ?? "full", ...UNPACED } },
          }),
        ],
        test: {
          name: "workers",
          include: ["test/**/*.test.ts"],
          exclude: ["test/oracle/**", "test/browser/**", "test/fault/**", "test/districts/**", "test/tooling/**"],
          setupFiles: ["./test/apply-migrations.ts"],
          // One workerd for all the files (per slot): starting one per file was 4–5 s each. Each file still
          // starts from freshly migrated databases and the directory read again (test/apply-migrations.ts).
          isolate: false,
          // CI machines are shared: no test may fail for being slow. Wide margins, not tight limits.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The district layout of wrangler.jsonc (Turin and Milan, each its own database, beside the central one).
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.jsonc" },
            miniflare: { bindings: { TEST_MIGRATIONS: migrations, TEST_SCHEMA: schema, ...UNPACED } },
          }),
        ],
        test: {
          name: "districts",
          include: ["test/districts/**/*.test.ts"],
          setupFiles: ["./test/apply-migrations.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      // npm run bench:morning, bench:outbound and bench:capacity: benchmarks that need workerd and D1, run only when asked for.
      ...(["morning", "outbound", "capacity"].includes(process.env.TERMINI_BENCH ?? "")
        ? [{
          plugins: [cloudflareTest({
            wrangler: { configPath: "./wrangler.jsonc" },
            // The bench's inputs from the shell (BENCH_*, CAPACITY_*), as bindings: workerd does not see the host's environment.
            // BENCH_LAYOUT=districts: Turin's and Milan's databases beside the central one (wrangler.jsonc's layout).
            miniflare: { bindings: {
              TEST_MIGRATIONS: migrations, ...(process.env.BENCH_LAYOUT === "districts" ? { TEST_SCHEMA: schema } : { DISTRICTS: "" }), ...Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(BENCH|CAPACITY)_/.test(k))),
            } },
          })],
          test: {
            name: process.env.TERMINI_BENCH, include: [`bench/${process.env.TERMINI_BENCH}/run.test.ts`], setupFiles: ["./test/apply-migrations.ts"], testTimeout: 3_600_000,
          },
        }]
        : []),
      {
        // Staff in a real browser (Debian's Chromium) against wrangler dev.
        // Generous: a busy shared machine (load 7-11 on 2 cores) slows every page several times over; the server's
        // start has its own bound (bench/dev-server.ts) and fails with its output.
        // One wrangler dev for every file (test/browser/global-setup.ts), the files one after the other.
        test: {
          name: "browser", environment: "node", include: ["test/browser/**/*.test.ts"], testTimeout: 400_000, hookTimeout: 400_000,
          globalSetup: ["./test/browser/global-setup.ts"], fileParallelism: false,
        },
      },
      {
        // A killed server and a provider outage against wrangler dev and the fake Resend; outbound
        // webhooks through the fake QStash, and the direct path with a killed server.
        // One file at a time: each runs its own wrangler dev, and two of them beside the browser's overload a 2-core machine.
        test: { name: "fault", environment: "node", include: ["test/fault/**/*.test.ts"], testTimeout: 600_000, hookTimeout: 400_000, fileParallelism: false },
      },
      {
        // The developer's own tools as a newcomer runs them, each in a child process: `npm run dev` and
        // `npm run event`, the local D1 state wrangler would make, the network guard. Not in the edit–run
        // loop (npm run test:unit): starting wrangler is most of their 26–35 s.
        test: { name: "tooling", environment: "node", include: ["test/tooling/**/*.test.ts"], testTimeout: 180_000, hookTimeout: 180_000 },
      },
      {
        // Cross-checks of the pure engine against outside oracles (date-holidays,
        // Luxon): their CommonJS/UMD builds do not load in workerd.
        // Property tests have a budget in runs (numRuns), never in time; the timeout is only a backstop.
        // Route modules imported here to build /openapi.json import `cloudflare:workers`: a stub stands in.
        resolve: { alias: { "cloudflare:workers": resolve("test/stubs/cloudflare-workers.ts") } },
        // One process per slot for all its files (isolate: false): they share no state, and a fork per file
        // loaded fast-check, pdf.js and date-holidays again each time.
        test: { name: "oracle", environment: "node", include: ["test/oracle/**/*.test.ts"], isolate: false, testTimeout: 180_000, hookTimeout: 180_000 },
      },
    ],
  },
});
