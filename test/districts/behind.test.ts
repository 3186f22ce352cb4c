/**
 * A district whose copy of the directory is behind never answers 500
 * (security review: offices and senders added centrally, an event reaching
 * a district before the sweep copied them: "Si è verificato un errore
 * interno"). The event path brings the copy up to date before it writes;
 * when the copy cannot be made, it answers 503 with Retry-After, writes
 * nothing, and the sender's retry goes through.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../src/env.js";
import { ago, api, casePath, fetchWith, newRef, postWebhook, senderFor } from "../backbone/helpers.js";
import { count, idleInEveryDatabase } from "./helpers.js";

idleInEveryDatabase();

const stamp = async (d1: D1Database) => (await d1.prepare("SELECT stamp FROM directory_stamp").first<{ stamp: string }>())!.stamp;

/** Turin's database as it is, except that a copy of the directory into it fails (the batch that unpacks the tables). */
function failingCopies(d1: D1Database): D1Database {
  let copying = false;
  return new Proxy(d1, {
    get(target, prop) {
      if (prop === "prepare") {
        return (sql: string) => {
          // Only the copy unpacks whole tables from one JSON parameter (replicate.ts).
          if (sql.includes("FROM json_each(?1)")) copying = true;
          return target.prepare(sql);
        };
      }
      if (prop === "batch") {
        return (stmts: D1PreparedStatement[]) => {
          if (copying) {
            copying = false;
            return Promise.reject(new Error("D1_ERROR: copy refused for the test"));
          }
          return target.batch(stmts);
        };
      }
      const v = Reflect.get(target, prop);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

describe("an event reaching a district whose copy of the directory is behind", () => {
  it("from a sender created centrally a moment ago: the copy is brought up to date, the event recorded (was a 500)", async () => {
    const secret = await senderFor(`behind-${crypto.randomUUID().slice(0, 8)}`, ["procura-torino"]);
    expect(await stamp(env.DISTRICT_TO)).not.toBe(await stamp(env.DB));
    const ref = newRef();
    const res = await postWebhook({ type: "suspect.registered", caseRef: ref, occurredAt: ago(3_600_000), data: { jurisdiction: "TO" } }, { secret });
    expect(res.status).toBe(201);
    expect(await stamp(env.DISTRICT_TO)).toBe(await stamp(env.DB));
    expect(await count(env.DISTRICT_TO, "SELECT count(*) AS n FROM cases WHERE ref = ?", ref)).toBe(1);
  });

  it("naming an office created centrally a moment ago: it is known (was refused as unknown), through the staff API and a new case", async () => {
    await env.DB.prepare(`INSERT INTO offices (id, kind, name, jurisdiction, calendar, emails, fallback_email, escalates_to)
      VALUES ('gip-torino-bis', 'gip', 'Ufficio GIP del Tribunale di Torino — seconda sezione', 'TO', 'IT-TO', '["gip.bis@example.org"]', 'gip.bis.segreteria@example.org', 'gip-presidente-torino')`).run();
    const ref = newRef();
    const res = await api("POST", `${casePath(ref)}/events`, {
      token: "termini-local-procura-token", body: { type: "suspect.registered", occurredAt: ago(3_600_000), data: { offices: { procura: "procura-torino", gip: "gip-torino-bis" } } },
    });
    expect(res.status).toBe(201);
    await env.DB.prepare("UPDATE offices SET name = name || ' ' WHERE id = 'gip-torino-bis'").run();
    const created = await api("POST", "/api/v1/cases", { body: { ref: newRef(), offices: { procura: "procura-torino", gip: "gip-torino-bis" } } });
    expect(created.status).toBe(201);
  });

  it("when the copy cannot be made: 503 with Retry-After, nothing written, and the sender's retry of the same message goes through", async () => {
    const secret = await senderFor(`behind-${crypto.randomUUID().slice(0, 8)}`, ["procura-torino"]);
    const ref = newRef();
    // Both offices named: the test above added Turin a second GIP.
    const body = { type: "suspect.registered", caseRef: ref, occurredAt: ago(3_600_000), data: { offices: { procura: "procura-torino", gip: "gip-torino" } } };
    const id = `msg_${crypto.randomUUID()}`;
    const broken = { DISTRICT_TO: failingCopies(env.DISTRICT_TO) } as Partial<Bindings>;
    const text = JSON.stringify(body);
    const signed = async () => {
      const ts = Math.floor(Date.now() / 1000);
      const key = await crypto.subtle.importKey("raw", Uint8Array.from(atob(secret.slice(6)), (ch) => ch.charCodeAt(0)), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      const sig = btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${id}.${ts}.${text}`)))));
      return { method: "POST", body: text, headers: { "Content-Type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": `v1,${sig}` } };
    };
    const refused = await fetchWith(broken, "/webhooks/events", await signed());
    expect(refused.status).toBe(503);
    expect(refused.headers.get("Retry-After")).toBe("30");
    expect(await refused.json()).toMatchObject({ code: "directory_behind" });
    for (const d1 of [env.DB, env.DISTRICT_TO, env.DISTRICT_MI]) {
      expect(await count(d1, "SELECT count(*) AS n FROM cases WHERE ref = ?", ref)).toBe(0);
      // Not recorded as the message's first response: the retry is not answered 503 again.
      expect(await count(d1, "SELECT count(*) AS n FROM webhook_deliveries WHERE webhook_id = ?", id)).toBe(0);
    }
    const retried = await postWebhook(body, { secret, id });
    expect(retried.status).toBe(201);
    expect(await count(env.DISTRICT_TO, "SELECT count(*) AS n FROM cases WHERE ref = ?", ref)).toBe(1);
  });
});
