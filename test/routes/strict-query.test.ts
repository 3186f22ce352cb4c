/**
 * One rule for query parameters: one an operation does not know is refused
 * with 400 unknown_parameter naming it — on operations that take none (checked
 * from their contract), on those with a query schema (strict objects), and on
 * a HEAD as on its GET; a bad path parameter is 400 invalid_parameter.
 */
import { exports } from "cloudflare:workers";
import { expect, it } from "vitest";
import { ADMIN_TOKEN, PROCURA_TOKEN, api, expectProblem } from "../backbone/helpers.js";

const get = (path: string, method = "GET") => exports.default.fetch(`http://termini.test${path}`, { method });

it("refuses a parameter an operation without a query does not know, naming it", async () => {
  for (const path of ["/api/v1?verbose=1", "/api/v1/timelines?id=362-bis", "/api/v1/calendars?anno=2026"]) {
    const p = await expectProblem(await get(path), 400, "unknown_parameter");
    expect(p.parameter).toBe(new URL(path, "http://x").searchParams.keys().next().value);
  }
  expect((await get("/api/v1/timelines?id=362-bis", "HEAD")).status).toBe(400);
  expect((await api("GET", "/api/v1/integrity?tutto=1", { token: ADMIN_TOKEN })).status).toBe(400);
  // Without the unknown parameter, the same requests are answered.
  expect((await get("/api/v1/timelines")).status).toBe(200);
  expect((await get("/api/v1/timelines", "HEAD")).status).toBe(200);
});

it("refuses a misspelt parameter of an operation with a query, rather than ignore it", async () => {
  const p = await expectProblem(await api("GET", "/api/v1/cases?limt=5", { token: PROCURA_TOKEN }), 400, "unknown_parameter");
  expect(p.parameter).toBe("limt");
});

it("answers a malformed path parameter with 400 invalid_parameter on every route that reads one", async () => {
  expect((await expectProblem(await api("GET", `/api/v1/cases/${encodeURIComponent("non un riferimento")}`, { token: PROCURA_TOKEN }), 400, "invalid_parameter")).parameter).toBe("ref");
  expect((await expectProblem(await api("POST", "/api/v1/integrity/references/non-uuid/withdraw", { token: ADMIN_TOKEN }), 400, "invalid_parameter")).parameter).toBe("caseId");
  expect((await expectProblem(await api("GET", "/api/v1/reports/annual/2025", { token: ADMIN_TOKEN }), 400, "invalid_parameter")).parameter).toBe("kind");
});
