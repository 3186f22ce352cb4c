/**
 * GET /calendario — the user's calendar feed address: create (which revokes
 * the previous one) or revoke. GET /ical/{token}.ics — the feed itself.
 */
import { and, eq, isNull } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../env.js";
import { sha256Hex } from "../auth/bearer.js";
import { audit } from "../db/audit.js";
import { database } from "../db/client.js";
import { openDeadlinesOf } from "../db/cases.js";
import { calendarTokens, userOffices, users } from "../db/schema.js";
import { getTimeline } from "../timelines/catalog.js";
import { calendar } from "./ical.js";
import { readForm } from "../http/body.js";
import { webCasePath } from "../lib/case-link.js";
import { Layout } from "./layout.js";
import { checkCsrf, randomToken, requireUser } from "./session.js";

export const calendarPage = new Hono<AppEnv>();

calendarPage.get("/calendario", requireUser, (c) => {
  const user = c.get("user");
  const fresh = c.req.query("nuovo");
  return c.html(
    <Layout title="Calendario delle scadenze" user={user}>
      <p>Le scadenze aperte dei suoi uffici possono comparire nel suo calendario (Outlook, Google, Apple) con un avviso il giorno prima.</p>
      {fresh && (
        <p role="status">
          <label for="feed">Indirizzo del calendario (lo tenga riservato):</label><br />
          <input id="feed" readonly size={60} value={`${c.env.APP_BASE_URL}/ical/${fresh}.ics`} />
        </p>
      )}
      <form method="post" action="/calendario">
        <input type="hidden" name="csrf" value={user.csrf} />
        <button type="submit" name="azione" value="crea">Crea un nuovo indirizzo</button>{" "}
        <button type="submit" name="azione" value="revoca">Revoca gli indirizzi esistenti</button>
      </form>
    </Layout>,
  );
});

calendarPage.post("/calendario", requireUser, async (c) => {
  const now = Date.now();
  const user = c.get("user");
  const form = await readForm(c.req.raw);
  checkCsrf(user.csrf, form.csrf);
  const db = database(c.env.DB);
  // One live address at a time: a new one revokes the old.
  await db.update(calendarTokens).set({ revokedAt: now }).where(and(eq(calendarTokens.userId, user.id), isNull(calendarTokens.revokedAt))).run();
  await audit(db, { actor: user.principal.id, action: `calendar.${form.azione === "crea" ? "created" : "revoked"}`, caseId: null, requestId: c.get("requestId"), detail: {} }, now);
  if (form.azione !== "crea") return c.redirect("/calendario", 303);
  const token = randomToken();
  await db.insert(calendarTokens).values({ tokenHash: await sha256Hex(token), userId: user.id, createdAt: now }).run();
  return c.redirect(`/calendario?nuovo=${token}`, 303);
});

calendarPage.get("/ical/:file", async (c) => {
  const now = Date.now();
  const m = /^([A-Za-z0-9_-]{20,64})\.ics$/.exec(c.req.param("file"));
  const db = database(c.env.DB);
  const row = m === null ? undefined : await db.select({ userId: calendarTokens.userId }).from(calendarTokens)
    .innerJoin(users, eq(users.id, calendarTokens.userId))
    .where(and(eq(calendarTokens.tokenHash, await sha256Hex(m[1]!)), isNull(calendarTokens.revokedAt), isNull(users.disabledAt))).get();
  if (row === undefined) return c.text("Calendario non trovato o revocato", 404);
  const mine = (await db.select().from(userOffices).where(eq(userOffices.userId, row.userId)).all()).map((o) => o.officeId);
  const rows = await openDeadlinesOf(db, mine, undefined, 1000);
  await audit(db, { actor: `user:${row.userId}`, action: "calendar.read", caseId: null, requestId: c.get("requestId"), detail: { cases: [...new Set(rows.map((r) => r.caseId))] } }, now);
  const body = calendar(rows.map((r) => ({
    id: r.d.id, caseRef: r.ref, office: r.office, dueAt: r.d.dueAt, dueDate: r.d.dueDate,
    title: getTimeline(r.timeline, r.version)?.stages.find((s) => s.id === r.d.stage)?.title ?? r.d.stage,
    link: c.env.APP_BASE_URL + webCasePath(r.ref, r.owner),
  })), now);
  return c.body(body, 200, { "Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, max-age=300" });
});
