/**
 * The network guard every test process runs under (scripts/no-network.cjs) does refuse: checked in
 * a child process with a log of its own, so that this test's refusals do not fail the run's check.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

function underGuard(script: string): { out: string; log: string } {
  const log = join(mkdtempSync(join(tmpdir(), "termini-net-")), "refused.log");
  const r = spawnSync(process.execPath, ["--require", resolve("scripts/no-network.cjs"), "-e", script], {
    env: { ...process.env, TERMINI_NETWORK_LOG: log }, encoding: "utf8", timeout: 60_000,
  });
  let logged = "";
  try { logged = readFileSync(log, "utf8"); } catch { /* nothing refused */ }
  return { out: r.stdout, log: logged };
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
});
