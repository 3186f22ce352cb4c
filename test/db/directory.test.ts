import { env } from "cloudflare:workers";
import { beforeAll, expect, it } from "vitest";
import { database } from "../../src/db/client.js";
import { directory, recentDirectory } from "../../src/db/directory.js";

const db = database(env.DB);

beforeAll(async () => {
  const insert = env.DB.prepare(
    "INSERT INTO offices (id, kind, name, jurisdiction, calendar, emails, fallback_email, escalates_to) VALUES (?, 'gip', ?, 'ZZ', 'IT', '[\"a@example.org\"]', 'b@example.org', ?)",
  );
  const link = env.DB.prepare("UPDATE offices SET escalates_to = ? WHERE id = ?");
  await env.DB.batch([
    insert.bind("loop-a", "A", null),
    insert.bind("loop-b", "B", null),
    insert.bind("alone", "Alone", null),
    link.bind("loop-b", "loop-a"),
    link.bind("loop-a", "loop-b"),
  ]);
});

it("walks the directory's chain upwards, nearest first", async () => {
  const dir = await directory(db);
  const chain = dir.chain(dir.get("procura-torino")!, 5);
  expect(chain.map((o) => o.id)).toEqual(["procuratore-torino", "pg-torino"]);
  expect(chain[0]!.emails).toEqual(["procuratore.torino@example.org"]);
  expect(dir.chain(dir.get("procura-torino")!, 1).map((o) => o.id)).toEqual(["procuratore-torino"]);
});

it("ends the chain at an office with no superior, and at a cycle", async () => {
  const dir = await directory(db);
  expect(dir.chain(dir.get("alone")!, 3)).toEqual([]);
  expect(dir.chain(dir.get("loop-a")!, 5).map((o) => o.id)).toEqual(["loop-b"]);
  expect([...dir.withSuperiors(["loop-a"])].sort()).toEqual(["loop-a", "loop-b"]);
});

it("finds the offices a head oversees, through every level below it", async () => {
  const dir = await directory(db);
  expect(dir.below(["pg-torino"])).toEqual(expect.arrayContaining(["procura-torino", "procuratore-torino"]));
  expect(dir.below(["pg-torino"])).not.toContain("pg-torino");
});

it("keeps one copy in memory while the stamp holds, and reloads the moment an office changes", async () => {
  const first = await directory(db);
  expect(await directory(db)).toBe(first);
  expect(await recentDirectory(db, Date.now())).toBe(first);
  await env.DB.prepare("UPDATE offices SET name = 'Alone, renamed' WHERE id = 'alone'").run();
  const after = await directory(db);
  expect(after).not.toBe(first);
  expect(after.stamp).not.toBe(first.stamp);
  expect(after.get("alone")!.name).toBe("Alone, renamed");
});

it("sees a sender's new secret, offices and trusted events at once", async () => {
  const before = await directory(db);
  await env.DB.batch([
    env.DB.prepare("INSERT INTO webhook_senders (id, name, created_at) VALUES ('s-new', 'Sistema di prova', 0)"),
    env.DB.prepare("INSERT INTO webhook_secrets (id, sender_id, secret, created_at) VALUES ('k-new', 's-new', 'whsec_c2VncmV0bw==', 0)"),
    env.DB.prepare("INSERT INTO sender_offices (sender_id, office_id) VALUES ('s-new', 'procura-torino')"),
    env.DB.prepare("INSERT INTO sender_event_types (sender_id, event_type) VALUES ('s-new', 'suspect.registered')"),
  ]);
  const dir = await directory(db);
  expect(dir).not.toBe(before);
  expect(dir.activeSecrets(Date.now()).map((s) => s.secretId)).toContain("k-new");
  expect([...dir.senderOffices("s-new")]).toEqual(["procura-torino"]);
  expect([...dir.senderTrustedEvents("s-new")]).toEqual(["suspect.registered"]);
  await env.DB.prepare("UPDATE webhook_secrets SET expires_at = 1 WHERE id = 'k-new'").run();
  expect((await directory(db)).activeSecrets(Date.now()).map((s) => s.secretId)).not.toContain("k-new");
});
