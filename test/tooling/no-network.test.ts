/**
 * The network guard every test process runs under (scripts/no-network.cjs) does refuse: checked in
 * a child process with a log of its own, so that this test's refusals do not fail the run's check.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { offlineWranglerEnv } from "../../scripts/wrangler-offline.mjs";

/** Runs a command under the guard with a log of its own: what it printed, and what the guard refused. */
function guarded(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): { out: string; log: string } {
  const log = join(mkdtempSync(join(tmpdir(), "termini-net-")), "refused.log");
  const r = spawnSync(command, args, {
    env: { ...env, TERMINI_NETWORK_LOG: log, NODE_OPTIONS: `--require ${resolve("scripts/no-network.cjs")}` }, encoding: "utf8", timeout: 120_000,
  });
  let logged = "";
  try { logged = readFileSync(log, "utf8"); } catch { /* nothing refused */ }
  return { out: `${r.stdout}${r.stderr}`, log: logged };
}

function underGuard(script: string): { out: string; log: string } {
  const r = guarded(process.execPath, ["-e", script]);
  return { out: r.out, log: r.log };
}

describe("the test run's network guard", () => {
  it("refuses and logs a request to a host beyond this machine, by name or by address", () => {
    const byName = underGuard(`fetch("https://registry.npmjs.org/wrangler").then(() => console.log("reached"), (e) => console.log("refused", e.cause?.code ?? e.code))`);
    expect(byName.out.trim()).toBe("refused ECONNREFUSED");
    expect(byName.log).toContain("registry.npmjs.org");
    const byAddress = underGuard(`require("node:net").connect(443, "192.0.2.1").on("error", (e) => console.log("refused", e.code)).on("connect", () => console.log("reached"))`);
    expect(byAddress.out.trim()).toBe("refused ECONNREFUSED");
    expect(byAddress.log).toContain("connect 192.0.2.1");
  });

  it("lets loopback through: the fake provider and wrangler dev live there", () => {
    const local = underGuard(`const s = require("node:http").createServer((q, r) => r.end("ok")).listen(0, "127.0.0.1", () =>
      fetch("http://localhost:" + s.address().port).then((r) => r.text()).then((t) => { console.log(t); s.close(); }, (e) => { console.log("refused"); s.close(); }))`);
    expect(local.out.trim()).toBe("ok");
    expect(local.log).toBe("");
  });

  // Wrangler checks npm for a newer version of itself after any error that is not the user's (and on
  // other paths the banner setting does not cover): a run's wrangler must never get that far.
  it("keeps wrangler from asking npm for a newer version, even after an unexpected error", () => {
    const file = join(mkdtempSync(join(tmpdir(), "termini-notadir-")), "file");
    writeFileSync(file, "");
    // A state under a plain file: wrangler fails with ENOTDIR, not a user error, and would then look up npm.
    const failing = ["wrangler", "d1", "execute", "DB", "--local", "--persist-to", join(file, "state"), "--command", "SELECT 1"];
    const bare = { ...process.env, TMPDIR: mkdtempSync(join(tmpdir(), "termini-tmp-")), WRANGLER_HIDE_BANNER: "true" };
    const without = guarded("npx", failing, bare);
    expect(without.out).toContain("ENOTDIR");
    // The check this test is about does happen without the setting (else the assertion below proves nothing).
    expect(without.log).toContain("registry.npmjs.org");
    const offline = guarded("npx", failing, { ...bare, ...offlineWranglerEnv() });
    expect(offline.out).toContain("ENOTDIR");
    expect(offline.log).toBe("");
  });
});
