/**
 * Hostile input gets a clear 4xx: names of object built-ins, bodies larger
 * than the limit however they are sent, unbounded headers and parameters,
 * and values that would break a header or a CSV cell.
 */
import { exports } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookDeliveries } from "../../src/db/schema.js";
import { MAX_BODY_BYTES } from "../../src/http/body.js";
import { csvCell } from "../../src/stats/csv.js";
import { api, casePath, db, idleWorkflows, newRef, postWebhook, record, registration } from "../backbone/helpers.js";
import { signedIn } from "../web/browser.js";

const BUILT_INS = ["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "__defineGetter__", "prototype"];

let spy: Awaited<ReturnType<typeof idleWorkflows>>;
beforeAll(async () => { spy = await idleWorkflows(); });
afterAll(async () => { await spy.dispose(); });

const clientError = (status: number) => expect(status >= 400 && status < 500, `status ${status}`).toBe(true);

describe("names of object built-ins", () => {
  it.each(BUILT_INS)("refuses the event type %s on the webhook with a 4xx", async (type) => {
    const ref = newRef();
    expect((await postWebhook(registration(ref))).status).toBe(201);
    const res = await postWebhook({ type, caseRef: ref, occurredAt: new Date().toISOString(), data: {} });
    clientError(res.status);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  });

  it.each(BUILT_INS)("refuses the event type %s on the staff API with a 4xx", async (type) => {
    const ref = newRef();
    expect((await postWebhook(registration(ref))).status).toBe(201);
    clientError((await record(ref, type, new Date().toISOString())).status);
  });

  it.each(BUILT_INS)("refuses %s as a data field, an office role and a query parameter", async (name) => {
    const ref = newRef();
    const asField = await postWebhook({ ...registration(ref), data: { jurisdiction: "TO", [name]: "x" } });
    clientError(asField.status);
    const asRole = await postWebhook({ ...registration(newRef()), data: { offices: { [name]: "procura-torino" } } });
    clientError(asRole.status);
    const asQuery = await api("GET", `/api/v1/cases?${encodeURIComponent(name)}=1`);
    clientError(asQuery.status);
    const asTermsQuery = await exports.default.fetch(`http://termini.test/api/v1/terms?from=2026-01-01T10:00:00Z&amount=3&unit=days&regime=penal&${encodeURIComponent(name)}=1`);
    clientError(asTermsQuery.status);
  });

  it.each(BUILT_INS)("answers 404 for the problem type %s", async (code) => {
    const res = await exports.default.fetch(`http://termini.test/problems/${encodeURIComponent(code)}`);
    expect(res.status).toBe(404);
  });

  it("refuses a built-in as the action of the web form, and records nothing", async () => {
    const ref = newRef();
    expect((await postWebhook(registration(ref))).status).toBe(201);
    const b = await signedIn();
    const csrf = await b.csrf(`/cases/${encodeURIComponent(ref)}`);
    for (const evento of BUILT_INS) {
      const res = await b.go(`/azioni/${encodeURIComponent(ref)}`, { form: { csrf, evento, data: "05/01/2026", ora: "10:00" } });
      clientError(res.status);
    }
    const view = (await (await api("GET", casePath(ref))).json()) as { events: unknown[] };
    expect(view.events).toHaveLength(1);
  });
});

/** A body sent in chunks, with no Content-Length to trust. */
function chunked(total: number, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const n = Math.min(chunk, total - sent);
      controller.enqueue(new Uint8Array(n).fill(0x20));
      sent += n;
    },
  });
}

describe("bodies over the limit", () => {
  it("stops reading a chunked JSON body at the limit and answers 413", async () => {
    let pulled = 0;
    const source = chunked(50 * 1024 * 1024);
    const reader = source.getReader();
    const counted = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        pulled += value.byteLength;
        controller.enqueue(value);
      },
    });
    const res = await exports.default.fetch("http://termini.test/api/v1/deadlines/preview", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: counted,
      // @ts-expect-error workerd needs duplex for a streamed request body
      duplex: "half",
    });
    expect(res.status).toBe(413);
    // Read up to the limit and one chunk more, never the 50 MB.
    expect(pulled).toBeLessThan(MAX_BODY_BYTES + 4 * 64 * 1024);
  });

  it("refuses an oversize web form with 413 before parsing it", async () => {
    const b = await signedIn();
    const csrf = await b.csrf("/calendario");
    const res = await b.go("/calendario", { form: { csrf, pad: "x".repeat(200 * 1024) } });
    expect(res.status).toBe(413);
  });
});

describe("bounded headers and parameters", () => {
  it("refuses a webhook-id longer than 256 characters and stores nothing", async () => {
    const id = `msg_${"a".repeat(8000)}`;
    const res = await postWebhook(registration(newRef()), { id });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { parameter: string }).parameter).toBe("webhook-id");
    const stored = await db().select({ id: webhookDeliveries.webhookId }).from(webhookDeliveries).all();
    expect(stored.some((r) => r.id.length > 256)).toBe(false);
  });

  it.each(["0x10", "1e2", " 5", "5.0", "+5", "-1", "0"])("refuses limit=%s", async (limit) => {
    const res = await api("GET", `/api/v1/cases?limit=${encodeURIComponent(limit)}`);
    expect(res.status).toBe(400);
  });

  it.each(["0000", "1995", "2026-Q5", "2026-Q01", "２０２６", "2026 "])("refuses the report period %s", async (period) => {
    const res = await api("GET", `/api/v1/reports/national/${encodeURIComponent(period)}`, { token: "termini-local-ministero-token" });
    expect(res.status).toBe(400);
  });

  it("refuses a region that is not in the directory, and stores no report for it", async () => {
    const res = await api("GET", `/api/v1/reports/regional/2026?region=${encodeURIComponent('x";y=z')}`, { token: "termini-local-ministero-token" });
    clientError(res.status);
    expect(res.headers.get("Content-Disposition")).toBeNull();
    const versions = await api("GET", `/api/v1/reports/regional/2026/versions?region=${encodeURIComponent('x";y=z')}`, { token: "termini-local-ministero-token" });
    clientError(versions.status);
  });
});

describe("CSV cells", () => {
  it.each(["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])("defuses %j as a formula", (value) => {
    const cell = csvCell(value);
    expect(cell.replace(/^"/, "").startsWith("'")).toBe(true);
  });

  it("leaves numbers and ordinary text alone", () => {
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(12)).toBe("12");
    expect(csvCell("Procura di Torino")).toBe("Procura di Torino");
    expect(csvCell("a;b")).toBe('"a;b"');
  });
});

describe("the same webhook-id at once", () => {
  it("gives every one of 20 concurrent duplicates the first response, round after round", async () => {
    for (let round = 0; round < 5; round++) {
      const body = registration(newRef());
      const id = `msg_${crypto.randomUUID()}`;
      const all = await Promise.all(Array.from({ length: 20 }, () => postWebhook(body, { id })));
      const statuses = all.map((r) => r.status);
      expect(statuses.every((s) => s === 201), statuses.join(",")).toBe(true);
      const bodies = new Set(await Promise.all(all.map((r) => r.text())));
      expect(bodies.size).toBe(1);
    }
  });
});
