import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { GOLDEN } from "../engine/golden-cases.js";

const get = (query: string, init?: RequestInit) => SELF.fetch(`https://termini.test/api/v1/terms?${query}`, init);
const q = (params: Record<string, string | number>) => new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
const valid = { from: "2024-03-26T10:00:00+01:00", amount: 30, unit: "days", regime: "penal" };

async function problemOf(res: Response) {
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  return (await res.json()) as Record<string, unknown> & { errors?: { parameter: string; code: string }[] };
}

describe("GET /api/v1/terms — happy path", () => {
  it("computes the brief's example", async () => {
    const res = await get(q(valid).toString());
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(res.headers.get("X-Request-Id")).toBeTruthy();
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      input: { ...valid, calendar: "IT", feriale: "apply" },
      dueAt: "2024-04-26T23:59:59+02:00",
      dueDate: "2024-04-26",
      plainDate: "2024-04-25",
      flags: ["extended"],
    });
    expect(body).not.toHaveProperty("dueAtMs");
    // dies a quo, the suspension (which does not touch this term), the extension, the end of the day.
    expect((body.steps as { rule: string }[]).map((x) => x.rule)).toEqual(["dies-a-quo", "august-suspension", "holiday-extension", "end-of-day"]);
  });

  it("applies the August suspension by default to judicial terms, as L. 742/1969 art. 1 does", async () => {
    const august = { from: "2024-08-10T10:00:00+02:00", amount: 30, unit: "days" };
    for (const regime of ["penal", "civil"]) {
      const body = (await (await get(q({ ...august, regime }).toString())).json()) as Record<string, unknown>;
      expect(body, regime).toMatchObject({ input: { feriale: "apply" }, dueDate: "2024-09-30", flags: ["augustSuspension"] });
    }
    const admin = (await (await get(q({ ...august, amount: 120, regime: "administrative" }).toString())).json()) as Record<string, unknown>;
    expect(admin).toMatchObject({ input: { feriale: "ignore" }, dueDate: "2024-12-09" });
  });

  it("leaves the suspension out under a named exception and says which", async () => {
    const res = await get(q({ from: "2024-08-10T10:00:00+02:00", amount: 30, unit: "days", regime: "penal", feriale: "urgent" }).toString());
    const body = (await res.json()) as { dueDate: string; steps: { rule: string; text: string }[] };
    expect(body.dueDate).toBe("2024-09-09");
    expect(body.steps.find((x) => x.rule === "august-suspension")!.text).toMatch(/urgenza dichiarata dal giudice/);
  });

  it("moves a civil Saturday before 5 July 2009 only for a proceeding instituted after 1 March 2006", async () => {
    const base = { from: "2009-01-28T10:00:00+01:00", amount: 10, unit: "days", regime: "civil" };
    const unknown = (await (await get(q(base).toString())).json()) as { dueDate: string };
    const recent = (await (await get(q({ ...base, instituted: "2007-01-10" }).toString())).json()) as { dueDate: string };
    expect([unknown.dueDate, recent.dueDate]).toEqual(["2009-02-07", "2009-02-09"]);
  });

  it("answers every golden case the same over HTTP", async () => {
    for (const c of GOLDEN) {
      const { why: _, officeClosed, dueAt, dueDate, plainDate, extendedDate, ...params } = c;
      // The engine's golden cases leave the suspension out unless they say otherwise; the API's default applies it.
      const res = await get(q({ feriale: "ignore", ...params }).toString());
      expect(res.status, c.why).toBe(200);
      const body = (await res.json()) as Record<string, unknown>;
      expect({ dueAt: body.dueAt, dueDate: body.dueDate, plainDate: body.plainDate, extendedDate: body.extendedDate }, c.why)
        .toEqual({ dueAt, dueDate, plainDate, extendedDate });
      expect((body.flags as string[]).includes("officeClosed"), c.why).toBe(officeClosed);
    }
  });

  it("accepts an offset whose + was decoded as a space", async () => {
    const res = await get("from=2024-03-26T10:00:00+01:00&amount=30&unit=days&regime=penal");
    expect(res.status).toBe(200);
    expect(((await res.json()) as { dueDate: string }).dueDate).toBe("2024-04-26");
  });

  it("allows cross-origin reads: it computes only public rules", async () => {
    const res = await get(q(valid).toString(), { headers: { Origin: "https://example.org" } });
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });
});

describe("GET /api/v1/terms — errors", () => {
  it("refuses an exception of the wrong kind of proceeding, naming the parameter", async () => {
    const res = await get(q({ ...valid, feriale: "civil-urgent" }).toString());
    expect(res.status).toBe(400);
    const p = await problemOf(res);
    expect(p.errors).toEqual([expect.objectContaining({ parameter: "feriale", code: "invalid_parameter" })]);
    expect(p.detail).toMatch(/non riguarda i termini penali/);
  });

  it("refuses an institution date that does not exist", async () => {
    const res = await get(q({ ...valid, regime: "civil", instituted: "2007-02-30" }).toString());
    expect(res.status).toBe(400);
    expect((await problemOf(res)).errors).toEqual([expect.objectContaining({ parameter: "instituted" })]);
  });

  it.for(["from", "amount", "unit", "regime"])("names the missing parameter %s", async (name) => {
    const params = q(valid);
    params.delete(name);
    const res = await get(params.toString());
    expect(res.status).toBe(400);
    const p = await problemOf(res);
    expect(p).toMatchObject({ status: 400, code: "missing_parameter", parameter: name, type: "/problems/missing_parameter" });
    expect(p.requestId).toBe(res.headers.get("X-Request-Id"));
  });

  it.for([
    ["from", "2024-03-26T10:00:00"],
    ["from", "2024-02-30T10:00:00Z"],
    ["from", "ieri"],
    ["amount", "0"],
    ["amount", "-3"],
    ["amount", "1.5"],
    ["amount", "trenta"],
    ["amount", "1e3"],
    ["unit", "weeks"],
    ["regime", "tax"],
    ["calendar", "IT-XX"],
    ["calendar", "it"],
    ["feriale", "yes"],
  ])("refuses %s=%s with 400 naming it", async ([name, value]) => {
    const res = await get(q({ ...valid, [name!]: value! }).toString());
    expect(res.status).toBe(400);
    expect(await problemOf(res)).toMatchObject({ code: "invalid_parameter", parameter: name });
  });

  it("reports every bad parameter at once", async () => {
    const res = await get(q({ from: "x", amount: "0", unit: "weeks", regime: "penal" }).toString());
    const p = await problemOf(res);
    expect(p.errors!.map((e) => e.parameter).sort()).toEqual(["amount", "from", "unit"]);
  });

  it("refuses unknown and repeated parameters rather than ignoring them", async () => {
    const typo = await get(`${q(valid)}&feriali=apply`);
    expect(typo.status).toBe(400);
    expect(await problemOf(typo)).toMatchObject({ code: "unknown_parameter", parameter: "feriali" });
    const twice = await get(`${q(valid)}&amount=20`);
    expect(twice.status).toBe(400);
    expect(await problemOf(twice)).toMatchObject({ code: "duplicate_parameter", parameter: "amount" });
  });

  it.for([
    [{ amount: 36_501 }, "amount"],
    [{ unit: "years", amount: 101 }, "amount"],
    [{ from: "1990-01-01T00:00:00Z" }, "from"],
    [{ from: "2250-01-01T00:00:00Z", unit: "years", amount: 100 }, "amount"],
  ] as const)("answers 422 out_of_range for %o", async ([over, name]) => {
    const res = await get(q({ ...valid, ...over }).toString());
    expect(res.status).toBe(422);
    expect(await problemOf(res)).toMatchObject({ code: "out_of_range", parameter: name });
  });

  it("answers 405 with Allow for other methods", async () => {
    const res = await get(q(valid).toString(), { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toMatch(/GET/);
    expect(await problemOf(res)).toMatchObject({ code: "method_not_allowed" });
  });

  it("answers unknown paths with a problem+json 404", async () => {
    const res = await SELF.fetch("https://termini.test/api/v1/nope");
    expect(res.status).toBe(404);
    expect(await problemOf(res)).toMatchObject({ code: "not_found" });
  });
});

describe("GET /api/v1/terms — security", () => {
  it("never echoes hostile input into an error as markup and stays 4xx", async () => {
    const res = await get(q({ ...valid, unit: "<script>alert(1)</script>" }).toString());
    expect(res.status).toBe(400);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await res.text()).not.toContain("<script>");
  });

  it("survives a very long parameter without a 500", async () => {
    const res = await get(q({ ...valid, from: "9".repeat(10_000) }).toString());
    expect(res.status).toBe(400);
  });

  it("needs no credentials", async () => {
    const res = await get(q(valid).toString(), { headers: { Authorization: "Bearer nonsense" } });
    expect(res.status).toBe(200);
  });
});

describe("GET /api/v1/calendars", () => {
  it("lists the holiday data with a source for each rule", async () => {
    const res = await SELF.fetch("https://termini.test/api/v1/calendars");
    const body = (await res.json()) as { national: { holidays: { source: string }[] }; local: { id: string }[] };
    expect(body.national.holidays.every((h) => h.source.length > 0)).toBe(true);
    expect(body.local.map((c) => c.id)).toContain("IT-TO");
  });
});
