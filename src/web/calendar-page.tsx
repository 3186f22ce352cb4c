/**
 * GET /calendario — the user's calendar feed address: create (which revokes
 * the previous one) or revoke. GET /ical/{token}.ics — the feed itself.
 */
import { and, eq, isNull } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../env.js";
import { sha256Hex } from "../lib/digest.js";
import { audit } from "../db/audit.js";
import { database } from "../db/client.js";
import { directory } from "../db/directory.js";
import { openDeadlinesAcross } from "../domain/districts/district-reads.js";
import { calendarTokens, userOffices, users } from "../db/schema.js";
import { getTimeline } from "../timelines/catalog.js";
import { calendar } from "./ical.js";
import { readForm } from "../http/body.js";
import { webCasePath } from "../lib/case-link.js";
import { Layout } from "./layout.js";
import { Alert, Field, described } from "./ui.js";
import { checkCsrf, randomToken, requireUser } from "./session.js";
import { createRouter } from "../http/router.js";

export const calendarPage = createRouter();

/** How to subscribe, in the three clients offices use. */
function Subscribe() {
  return (
    <section aria-labelledby="come">
      <h2 id="come">Come aggiungerlo al calendario</h2>
      <ul>
        <li><strong>Outlook</strong>: Calendario → Aggiungi calendario → Sottoscrivi dal Web, e incolli l'indirizzo.</li>
        <li><strong>Thunderbird</strong>: Calendario → Nuovo calendario → In rete, formato iCalendar (ICS), e incolli l'indirizzo.</li>
        <li><strong>Google Calendar</strong>: Altri calendari → + → Da URL, e incolli l'indirizzo.</li>
      </ul>
    </section>
  );
}

/** The page, and (`fresh`) a new address: shown once, in the answer to the POST that made it — never in a URL. */
async function page(c: Context<AppEnv>, fresh?: string) {
  const user = c.get("user");
  const active = await database(c.env.DB).select({ n: calendarTokens.tokenHash }).from(calendarTokens)
    .where(and(eq(calendarTokens.userId, user.id), isNull(calendarTokens.revokedAt))).all();
  if (fresh !== undefined) c.header("Cache-Control", "no-store");
  return c.html(
    <Layout title="Calendario delle scadenze" user={user} current="/calendario">
      <p>Le scadenze aperte dei suoi uffici possono comparire nel suo calendario (Outlook, Thunderbird, Google) con un avviso il giorno prima.</p>
      {fresh && (
        <Alert tone="success">
          <Field id="feed" label="Indirizzo del calendario" hint="Mostrato una sola volta: lo copi ora e lo tenga riservato.">
            <div class="input-group">
              <input type="text" {...described("feed", { hint: true })} readonly value={`${c.env.APP_BASE_URL}/ical/${fresh}.ics`} />
              <div class="input-group-append"><button type="button" class="btn btn-primary" data-copy="feed">Copia</button></div>
            </div>
          </Field>
        </Alert>
      )}
      <p>{active.length > 0 ? "Ha un indirizzo del calendario attivo: il suo programma di calendario lo aggiorna da solo." : "Non ha ancora un indirizzo del calendario: lo crei per vedere le scadenze nel suo programma di calendario."}</p>
      <form method="post" action="/calendario">
        <input type="hidden" name="csrf" value={user.csrf} />
        <button type="submit" class="btn btn-primary me-2" name="azione" value="crea">Crea un nuovo indirizzo</button>
        {active.length > 0 && <button type="submit" class="btn btn-outline-danger" name="azione" value="revoca">Revoca l'indirizzo attivo</button>}
      </form>
      <Subscribe />
    </Layout>,
  );
}

calendarPage.get("/calendario", requireUser, (c) => page(c));

calendarPage.post("/calendario", requireUser, async (c) => {
  const now = Date.now();
  const user = c.get("user");
  const form = await readForm(c.req.raw);
  checkCsrf(user.csrf, form.csrf);
  const db = database(c.env.DB);
  const active = await db.select({ n: calendarTokens.tokenHash }).from(calendarTokens)
    .where(and(eq(calendarTokens.userId, user.id), isNull(calendarTokens.revokedAt))).all();
  // A new address revokes the old one: asked first, so that no subscription stops by surprise.
  if (form.azione === "crea" && active.length > 0) {
    return c.html(
      <Layout title="Nuovo indirizzo del calendario" user={user}>
        <Alert tone="warning">Creare un nuovo indirizzo revoca quello attuale: i calendari che lo usano smetteranno di aggiornarsi. Continuare?</Alert>
        <form method="post" action="/calendario">
          <input type="hidden" name="csrf" value={user.csrf} />
          <button type="submit" class="btn btn-primary me-2" name="azione" value="crea-confermato">Sì, crea un nuovo indirizzo</button>
          <a class="btn btn-outline-secondary" href="/calendario">Annulla</a>
        </form>
      </Layout>,
    );
  }
  // One live address at a time: a new one revokes the old.
  await db.update(calendarTokens).set({ revokedAt: now }).where(and(eq(calendarTokens.userId, user.id), isNull(calendarTokens.revokedAt))).run();
  const creating = form.azione === "crea" || form.azione === "crea-confermato";
  await audit(db, { actor: user.principal.id, action: `calendar.${creating ? "created" : "revoked"}`, caseId: null, requestId: c.get("requestId"), detail: {} }, now);
  if (!creating) return c.redirect("/calendario", 303);
  const token = randomToken();
  await db.insert(calendarTokens).values({ tokenHash: await sha256Hex(token), userId: user.id, createdAt: now }).run();
  return page(c, token);
});


const CASE_READERS: ReadonlySet<string> = new Set(["operator", "head", "admin"]);
calendarPage.get("/ical/:file", async (c) => {
  const now = Date.now();
  const m = /^([A-Za-z0-9_-]{20,64})\.ics$/.exec(c.req.param("file"));
  const db = database(c.env.DB);
  const row = m === null ? undefined : await db.select({ userId: calendarTokens.userId, role: users.role }).from(calendarTokens)
    .innerJoin(users, eq(users.id, calendarTokens.userId))
    .where(and(eq(calendarTokens.tokenHash, await sha256Hex(m[1]!)), isNull(calendarTokens.revokedAt), isNull(users.disabledAt))).get();
  // Only those who read cases have deadlines to receive (a user whose role changed keeps no feed).
  if (row === undefined || !CASE_READERS.has(row.role)) return c.text("Calendario non trovato o revocato", 404);
  const mine = (await db.select().from(userOffices).where(eq(userOffices.userId, row.userId)).all()).map((o) => o.officeId);
  const rows = await openDeadlinesAcross(c.env, await directory(db), mine, undefined, 1000, {
    actor: `user:${row.userId}`, action: "calendar.read", requestId: c.get("requestId"),
    // Disclosed to the calendar program of the person the address was made for.
    reason: "calendario delle scadenze dei propri uffici, scaricato dall'indirizzo personale del calendario", detail: { recipients: [`user:${row.userId}`] },
  }, now);
  const body = calendar(rows.map((r) => ({
    id: r.d.id, caseRef: r.ref, office: r.office, dueAt: r.d.dueAt, dueDate: r.d.dueDate,
    title: getTimeline(r.timeline, r.version)?.stages.find((s) => s.id === r.d.stage)?.title ?? r.d.stage,
    link: c.env.APP_BASE_URL + webCasePath(r.ref, r.owner),
  })), now);
  return c.body(body, 200, { "Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, max-age=300" });
});
