/**
 * The first minutes of someone who clones the repository: `npm run dev` on a fresh state prints a
 * short output, says when it is ready and how long it took, sets each sign-in link apart, and
 * `npm run event` lists the event types and sends one with its data.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { csrfOf } from "../web/csrf.js";

const PORT = 8803;
let dev: ChildProcess | undefined;
let output = "";

afterAll(() => {
  if (dev?.pid !== undefined) {
    try {
      process.kill(-dev.pid, "SIGTERM");
    } catch {
      // gone already
    }
  }
});

async function until(condition: () => boolean, what: string, ms = 150_000): Promise<void> {
  for (const end = Date.now() + ms; !condition(); await new Promise((r) => setTimeout(r, 100))) {
    if (Date.now() > end) throw new Error(`${what} not seen within ${ms / 1000} s; output:\n${output}`);
  }
}

it("starts with a short output, says how long it took, and sets each sign-in link apart", async () => {
  const state = mkdtempSync(join(tmpdir(), "termini-dev-"));
  dev = spawn("npm", ["run", "dev", "--", "--port", String(PORT), "--persist-to", state, "--inspector-port", String(PORT + 20_000)], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  dev.stdout!.on("data", (b: Buffer) => { output += b.toString(); });
  dev.stderr!.on("data", (b: Buffer) => { output += b.toString(); });
  await until(() => output.includes("Termini è pronto"), "«Termini è pronto»");
  const seconds = Number(/Termini è pronto in (\d+,\d) s/.exec(output)![1]!.replace(",", "."));
  console.log(`npm run dev: ready in ${seconds} s on a fresh state (${output.split("\n").length} lines)`);
  // A line per database, no bindings table, no request log.
  expect(output).toMatch(/DISTRICT_MI: \d+ migrazioni, \d+ applicate ora/);
  expect(output).not.toContain("Your Worker has access to the following bindings");
  expect(output).not.toMatch(/\[wrangler:info\] GET /);
  expect(output.split("\n").length).toBeLessThan(40);

  // A sign-in request: its link, in a frame of its own.
  const base = `http://127.0.0.1:${PORT}`;
  const form = await fetch(`${base}/accedi`);
  const cookie = form.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const csrf = csrfOf(await form.text());
  await fetch(`${base}/accedi`, {
    method: "POST", headers: { Cookie: cookie, Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrf, email: "operatore.procura@example.org", dopo: "/" }).toString(),
  });
  await until(() => output.includes("└─ http"), "the framed sign-in link", 30_000);
  expect(output).toMatch(/┌─ Link di accesso[^\n]*\n {2}└─ http:\/\/localhost:\d+\/accedi\/link\?token=\S+/);

  // npm run event: without arguments, the types in Italian; with --data, the event and its data.
  const list = spawnSync("npm", ["run", "--silent", "event"], { encoding: "utf8", timeout: 60_000 });
  expect(list.stdout).toMatch(/removal\.executed\s+Allontanamento eseguito\n\s+data: .*issuedAt: <instant>/);
  const issued = new Date(Date.now() - 3_600_000).toISOString();
  const sent = spawnSync("npm", ["run", "--silent", "event", "--", "removal.executed", "9001/2026", "--port", String(PORT), "--data", JSON.stringify({ issuedAt: issued })], { encoding: "utf8", timeout: 60_000 });
  expect(sent.stdout).toMatch(/^201 /);
  const bad = spawnSync("npm", ["run", "--silent", "event", "--", "removal.executed", "9002/2026", "--port", String(PORT), "--data", "[1]"], { encoding: "utf8", timeout: 60_000 });
  expect([bad.status, bad.stderr]).toEqual([2, expect.stringContaining("--data: a JSON object")]);
});
