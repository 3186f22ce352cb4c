/**
 * Lists that never skip a row: GET /api/v1/cases pages on (created_at, id).
 * With `created_at < before` alone, cases created in the same millisecond
 * (the scheduler opens several obligations with one `now`) were skipped at
 * page ends.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PROCURA_TOKEN, api } from "../backbone/helpers.js";

/** Every page from the first, following `next`: each case's reference, in order. */
async function walk(token: string, limit: number): Promise<string[]> {
  const seen: string[] = [];
  for (let path: string | null = `/api/v1/cases?limit=${limit}`; path !== null; ) {
    const res = await api("GET", path, { token });
    expect(res.status, path).toBe(200);
    const page = (await res.json()) as { cases: { ref: string }[]; next: string | null };
    seen.push(...page.cases.map((c) => c.ref));
    path = page.next;
  }
  return seen;
}

describe("paging through the case list", () => {
  it("returns every case once when many share a creation instant across page boundaries", async () => {
    const at = Date.parse("2026-12-31T23:00:00Z");
    const refs = Array.from({ length: 11 }, (_, i) => `${8_800_000 + i}/2026`);
    await env.DB.batch(refs.flatMap((ref) => {
      const id = crypto.randomUUID();
      return [
        env.DB.prepare("INSERT INTO cases (id, ref, owner_office_id, created_at, created_by, last_activity_at) VALUES (?, ?, 'procura-torino', ?, 'test', ?)").bind(id, ref, at, at),
        env.DB.prepare("INSERT INTO case_offices (case_id, office_id, role, case_created_at) VALUES (?, 'procura-torino', 'procura', ?)").bind(id, at),
      ];
    }));
    for (const [token, limit] of [[PROCURA_TOKEN, 3], [PROCURA_TOKEN, 4], ["termini-local-demo-token", 2]] as const) {
      const seen = await walk(token, limit);
      const ours = seen.filter((r) => refs.includes(r));
      expect(ours.sort(), `${token} by ${limit}`).toEqual([...refs].sort());
      expect(new Set(seen).size, "no case twice").toBe(seen.length);
    }
  });

  it("refuses a cursor it did not give, and the old `before` parameter", async () => {
    expect((await api("GET", "/api/v1/cases?cursor=yesterday", { token: PROCURA_TOKEN })).status).toBe(400);
    expect(((await (await api("GET", "/api/v1/cases?before=1", { token: PROCURA_TOKEN })).json()) as { code: string }).code).toBe("unknown_parameter");
  });
});
