import { env } from "cloudflare:workers";
import { beforeAll, expect, it } from "vitest";
import { database } from "../../src/db/client.js";
import { escalationChain, getOffice } from "../../src/db/directory.js";

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
  const chain = await escalationChain(db, (await getOffice(db, "procura-torino"))!, 5);
  expect(chain.map((o) => o.id)).toEqual(["procuratore-torino", "pg-torino"]);
  expect(chain[0]!.emails).toEqual(["procuratore.torino@example.org"]);
  expect((await escalationChain(db, (await getOffice(db, "procura-torino"))!, 1)).map((o) => o.id)).toEqual(["procuratore-torino"]);
});

it("ends the chain at an office with no superior, and at a cycle", async () => {
  expect(await escalationChain(db, (await getOffice(db, "alone"))!, 3)).toEqual([]);
  expect((await escalationChain(db, (await getOffice(db, "loop-a"))!, 5)).map((o) => o.id)).toEqual(["loop-b"]);
});
