/**
 * Migration 0018: stages opened before lapses were recorded get their `lapse` row, so the workflow or
 * the sweep records «diviene inefficace» for them too; its list is the catalogue's recorded lapses.
 */
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { notifications } from "../../src/db/schema.js";
import { CATALOGUE } from "../../src/timelines/catalog.js";
import { recordsLapse } from "../../src/timelines/consequence.js";
import { db, newRef, record } from "../backbone/helpers.js";

type Migrations = { name: string; queries: string[] }[];
const migration = () => (env as unknown as { TEST_MIGRATIONS: Migrations }).TEST_MIGRATIONS.find((m) => m.name.startsWith("0018"))!;

describe("migration 0018", () => {
  it("lists exactly the stages whose lapse the catalogue records", () => {
    const listed = [...migration().queries.join("\n").matchAll(/'([a-z0-9-]+\/\d+\/[a-z0-9-]+)'/g)].map((m) => m[1]).sort();
    const lapses = CATALOGUE.flatMap((t) => t.stages.filter((s) => recordsLapse(s.consequence)).map((s) => `${t.id}/${t.version}/${s.id}`)).sort();
    expect(listed).toEqual(lapses);
  });

  it("plans the lapse of an open stage that was opened without one, once", async () => {
    const ref = newRef();
    const start = await record(ref, "removal.executed", new Date(Date.now() - 3_600_000).toISOString(), { jurisdiction: "TO" });
    const d = start.body.deadlines[0]!;
    const lapseRow = () => db().select().from(notifications).where(and(eq(notifications.deadlineId, d.id), eq(notifications.kind, "lapse"))).all();
    // As a stage opened before this change: no lapse row.
    await env.DB.prepare("DELETE FROM notifications WHERE deadline_id = ? AND kind = 'lapse'").bind(d.id).run();
    expect(await lapseRow()).toEqual([]);
    for (let i = 0; i < 2; i++) await env.DB.batch(migration().queries.map((q) => env.DB.prepare(q)));
    expect((await lapseRow()).map((n) => [n.id, n.sendAtMs, n.status])).toEqual([[`${d.id}.lapse`, Date.parse(d.dueAt) + 1, "scheduled"]]);
  });

  it("leaves a stage already past its term as it was", async () => {
    const start = await record(newRef(), "removal.executed", new Date(Date.now() - 50 * 3_600_000).toISOString(), { jurisdiction: "TO" });
    const d = start.body.deadlines[0]!;
    await env.DB.prepare("DELETE FROM notifications WHERE deadline_id = ? AND kind = 'lapse'").bind(d.id).run();
    await env.DB.batch(migration().queries.map((q) => env.DB.prepare(q)));
    expect(await db().select().from(notifications).where(and(eq(notifications.deadlineId, d.id), eq(notifications.kind, "lapse"))).all()).toEqual([]);
  });
});
