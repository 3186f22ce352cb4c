/**
 * The dashboard of an office with more open deadlines than a page holds:
 * the nearest come first, and the counts say they cover only those.
 */
import { env } from "cloudflare:workers";
import { beforeAll, expect, it } from "vitest";
import { pageText, signedIn } from "./browser.js";

const DAY = 86_400_000;
const OPEN = 520;

beforeAll(async () => {
  const now = Date.now();
  const stmts: D1PreparedStatement[] = [];
  for (let i = 0; i < OPEN; i++) {
    // Due from 23 hours ago on, one a day, in an order the ids do not follow.
    const k = (i * 7) % OPEN;
    const due = now - DAY + 3_600_000 + k * DAY;
    stmts.push(
      env.DB.prepare("INSERT INTO cases (id, ref, owner_office_id, created_at, created_by) VALUES (?, ?, 'procura-torino', ?, 'test')").bind(`pc${i}`, `${800_000 + k}/2026`, now),
      env.DB.prepare("INSERT INTO case_offices (case_id, office_id, role, case_created_at) VALUES (?, 'procura-torino', 'procura', ?)").bind(`pc${i}`, now),
      env.DB.prepare("INSERT INTO events (id, idempotency_key, case_id, type, occurred_at, occurred_at_ms, data, source, received_at) VALUES (?, ?, ?, 'suspect.registered', ?, ?, '{}', 'test', ?)")
        .bind(`pe${i}`, `page:${i}`, `pc${i}`, new Date(now).toISOString(), now, now),
      env.DB.prepare("INSERT INTO timeline_instances (id, case_id, timeline, version, status, started_by_event, started_at, closed_at, workflow_id) VALUES (?, ?, '362-bis', 1, 'running', ?, ?, NULL, ?)")
        .bind(`pi${i}`, `pc${i}`, `pe${i}`, now, `pi${i}`),
      env.DB.prepare("INSERT INTO deadlines (id, instance_id, stage, seq, office_id, started_by_event, started_at_ms, due_at, due_at_ms, due_date, status, outcome, explanation, closed_at_ms, closed_by_event) VALUES (?, ?, 'pm-assessment', 1, 'procura-torino', ?, ?, ?, ?, NULL, 'open', NULL, '{}', NULL, NULL)")
        .bind(`pi${i}.pm-assessment`, `pi${i}`, `pe${i}`, now, new Date(due).toISOString(), due),
    );
  }
  for (let i = 0; i < stmts.length; i += 500) await env.DB.batch(stmts.slice(i, i + 500));
});

it("shows the nearest 500 open deadlines first, and says the counts cover only those", async () => {
  const b = await signedIn();
  const html = await (await b.go("/")).text();
  const text = pageText(html);
  expect(text).toContain("Le 500 scadenze aperte più vicine");
  expect(text).toContain("i conteggi sopra riguardano solo queste");
  // The overdue one (due yesterday) first, then one a day; the 20 furthest are not on the page.
  const refs = [...html.matchAll(/>(8\d{5}\/2026)</g)].map((m) => Number(m[1]!.slice(0, 6)) - 800_000);
  expect(refs.length).toBe(500);
  expect(refs.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
  expect(refs.at(-1)).toBe(499);
  expect(text).toContain("1 scaduta 2 entro 48 ore 497+ in seguito");
});
