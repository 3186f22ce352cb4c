/**
 * An integrator's whole story, written only against the client generated
 * from /openapi.json (termini.d.ts, openapi-typescript; openapi-fetch at run
 * time): what a centre's or an office's system does — look up the rules,
 * preview, subscribe, send a signed event, read its case and deadlines,
 * record the next act, run its subscription (deliveries, event log, test,
 * sample, redelivery, pause, new secret), read a report in every format —
 * and the refusals it must be able to handle. Compiled with tsc --strict
 * (test/oracle/generated-client.test.ts) and run through Prism's validating
 * proxy (test/fault/contract-story.test.ts). No Node and no test library:
 * what it needs from its host comes in `Host`.
 */
import createClient from "openapi-fetch";
import type { paths } from "./termini.js";

export interface Host {
  base: string;
  adminToken: string;
  procuraToken: string;
  /** Standard Webhooks headers for a body, signed with the demo sender's secret. */
  sign: (id: string, body: string) => { "webhook-id": string; "webhook-timestamp": string; "webhook-signature": string };
  /** An address that takes events (answers 2xx once told the secret). */
  receiver: string;
  /** Hands the receiver the new subscription's signing secret. */
  subscribed: (secret: string) => Promise<void>;
  /** A reference no earlier run has used. */
  ref: string;
  /** Each call's operation and answer, as the story goes. */
  seen: (operation: string, res: Response) => void;
  /** From here on the story sends requests the contract forbids on purpose (no credential, a malformed reference). */
  refusing: () => void;
}

function check(ok: boolean, what: string): asserts ok {
  if (!ok) throw new Error(`story: ${what}`);
}

/** Runs the story; returns the operations it called. */
export async function story(h: Host): Promise<string[]> {
  const called: string[] = [];
  const client = (token?: string) => {
    const c = createClient<paths>({ baseUrl: h.base, ...(token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } }) });
    c.use({
      onResponse: ({ response, schemaPath, request }) => {
        const op = `${request.method} ${schemaPath}`;
        called.push(op);
        h.seen(op, response);
        return undefined;
      },
    });
    return c;
  };
  const pub = client();
  const admin = client(h.adminToken);
  const procura = client(h.procuraToken);

  // The rules, with no credential.
  check((await pub.GET("/api/v1")).response.status === 200, "index");
  const timelines = await pub.GET("/api/v1/timelines");
  check(timelines.data?.timelines.some((t) => t.id === "362-bis") === true, "the 362-bis timeline is in the catalogue");
  check((await pub.GET("/api/v1/calendars")).response.status === 200, "calendars");
  const term = await pub.GET("/api/v1/terms", { params: { query: { from: "2026-10-01T10:00:00+02:00", amount: 30, unit: "days", regime: "penal" } } });
  check(term.data !== undefined && term.data.dueAt.startsWith("2026-10-31"), `a 30-day penal term from 1 October ends on 31 October (${JSON.stringify(term.data)})`);
  const preview = await pub.POST("/api/v1/deadlines/preview", { body: { timeline: "362-bis", events: [{ type: "suspect.registered", occurredAt: "2026-10-01T10:00:00+02:00" }] } });
  check(preview.data?.deadlines[0]?.stage === "pm-assessment", "the preview opens the assessment");

  // A subscription for the Procura's events, then a signed registration.
  const sub = await admin.POST("/api/v1/subscriptions", { body: { office: "procura-torino", url: h.receiver, kinds: ["deadline.opened", "deadline.closed"], description: "registro della Procura" } });
  check(sub.response.status === 201 && sub.data !== undefined, "subscription created");
  const id = sub.data.id;
  await h.subscribed(sub.data.secret);
  const registration = { type: "suspect.registered" as const, caseRef: h.ref, occurredAt: new Date(Date.now() - 3_600_000).toISOString(), data: { jurisdiction: "TO" } };
  const registered = JSON.stringify(registration);
  const event = await pub.POST("/webhooks/events", {
    params: { header: h.sign(`msg_story_${h.ref.replace("/", "_")}`, registered) }, body: registration,
    // The signature covers these very bytes: sent as they were signed.
    bodySerializer: () => registered,
  });
  check(event.response.status === 201, `the signed registration is recorded (${event.response.status})`);

  // A case registered by the API instead (its own reference), then the signed one read back.
  const [number, year] = h.ref.split("/") as [string, string];
  const second = `${Number(number) + 1}/${year}`;
  const created = await procura.POST("/api/v1/cases", { body: { ref: second, offices: { procura: "procura-torino" } } });
  check(created.response.status === 201 && created.response.headers.get("Location") !== null, `case created, with its Location (${created.response.status})`);

  // The case and the office's deadlines.
  const found = await procura.GET("/api/v1/cases/{ref}", { params: { path: { ref: h.ref } } });
  check(found.data?.ref === h.ref, "the case is found");
  check((await procura.GET("/api/v1/cases", { params: { query: { limit: 10 } } })).response.status === 200, "cases listed");
  const due = await procura.GET("/api/v1/offices/{id}/deadlines", { params: { path: { id: "procura-torino" }, query: { status: "open", limit: 20 } } });
  check(due.response.status === 200, "open deadlines listed");
  const act = await procura.POST("/api/v1/cases/{ref}/events", {
    params: { path: { ref: h.ref }, header: { "Idempotency-Key": `story-${h.ref}` } }, body: { type: "measures.requested", occurredAt: new Date(Date.now() - 60_000).toISOString() },
  });
  check(act.response.status === 201, `the request for measures is recorded (${act.response.status})`);

  // The subscription, as its office runs it.
  const own = (await procura.GET("/api/v1/subscriptions")).data?.subscriptions.map((s) => s.id) ?? [];
  check(own.includes(id), "the office sees its subscription");
  check((await procura.PATCH("/api/v1/subscriptions/{id}", { params: { path: { id } }, body: { description: "registro della Procura (produzione)" } })).response.status === 200, "changed");
  check((await procura.POST("/api/v1/subscriptions/{id}/test", { params: { path: { id } } })).data?.outcome === "delivered", "test event delivered");
  check((await procura.POST("/api/v1/subscriptions/{id}/sample", { params: { path: { id } }, body: { type: "deadline.closed" } })).data?.outcome === "delivered", "sample delivered");
  const view = await procura.GET("/api/v1/subscriptions/{id}", { params: { path: { id } } });
  check(view.data !== undefined && view.data.deliveries.length > 0, "deliveries shown");
  const deliveries = await procura.GET("/api/v1/subscriptions/{id}/deliveries", { params: { path: { id }, query: { limit: 10 } } });
  check(deliveries.response.status === 200, "deliveries listed");
  const log = await procura.GET("/api/v1/subscriptions/{id}/events", { params: { path: { id }, query: { limit: 5 }, header: { "Termini-Access-Reason": "recupero%20eventi" } } });
  check(log.data !== undefined, "event log read");
  const again = await procura.GET("/api/v1/subscriptions/{id}/events", { params: { path: { id }, query: { after: log.data.cursor } } });
  check(again.response.status === 200, "event log read from its cursor");
  const first = view.data.deliveries.find((d) => d.status === "delivered");
  check(first !== undefined, "a delivered event to redeliver");
  const replay = await procura.POST("/api/v1/subscriptions/{id}/deliveries/{delivery}/replay", { params: { path: { id, delivery: first.id } } });
  check(replay.data?.outcome === "delivered", "redelivered");
  check((await procura.PATCH("/api/v1/subscriptions/{id}", { params: { path: { id } }, body: { enabled: false } })).data?.status === "paused", "paused");
  check((await procura.PATCH("/api/v1/subscriptions/{id}", { params: { path: { id } }, body: { enabled: true } })).data?.status === "active", "resumed");
  check((await procura.POST("/api/v1/subscriptions/{id}/rotate", { params: { path: { id } } })).response.status === 201, "new secret");

  // A report in every format, its versions, and the administrators' reads.
  const quarter = `${new Date().getFullYear()}-Q1`;
  for (const format of ["json", "csv", "zip", "pdf"] as const) {
    const r = await procura.GET("/api/v1/reports/{kind}/{period}", { params: { path: { kind: "compliance-quarterly", period: quarter }, query: { format } }, parseAs: format === "json" ? "json" : "blob" });
    check(r.response.status === 200, `report as ${format} (${r.response.status})`);
  }
  const generated = await procura.POST("/api/v1/reports/{kind}/{period}/generate", { params: { path: { kind: "compliance-quarterly", period: quarter } } });
  check(generated.data?.version === 2, `a second version generated (${JSON.stringify(generated.data)})`);
  check((await procura.GET("/api/v1/reports/{kind}/{period}/versions", { params: { path: { kind: "compliance-quarterly", period: quarter } } })).response.status === 200, "versions");
  check((await admin.GET("/api/v1/outbox", { params: { query: { limit: 5 } } })).response.status === 200, "outbox");
  check((await admin.GET("/api/v1/integrity")).response.status === 200, "integrity");
  for (const format of ["json", "csv"] as const) {
    const r = await admin.GET("/api/v1/audit-log", { params: { query: { purpose: "controllo", format, case: h.ref } }, parseAs: format === "json" ? "json" : "text" });
    check(r.response.status === 200, `audit log as ${format}`);
  }

  const missing = await procura.GET("/api/v1/subscriptions/{id}", { params: { path: { id: "sub_nessuno" } } });
  check(missing.response.status === 404 && missing.error?.code === "not_found", "unknown subscription: 404");
  const forbidden = await procura.POST("/api/v1/subscriptions", { body: { office: "procura-torino", url: h.receiver, kinds: ["deadline.opened"] } });
  check(forbidden.response.status === 403 && forbidden.error?.code === "forbidden", "creating is for administrators: 403");
  const early = await procura.POST("/api/v1/reports/{kind}/{period}/submit", { params: { path: { kind: "compliance-quarterly", period: `${new Date().getFullYear()}-Q4` } } });
  check(early.response.status === 404 || early.response.status === 409, `a report not yet due is refused (${early.response.status})`);
  // The refusals an integrator handles: each a problem with its code. The last two requests break
  // the contract on purpose; their answers must still be the documented problems.
  h.refusing();
  const anonymous = await pub.GET("/api/v1/subscriptions");
  check(anonymous.response.status === 401 && anonymous.error?.code === "unauthorized", "no credential: 401");
  const badRef = await procura.GET("/api/v1/cases/{ref}", { params: { path: { ref: "non un riferimento" } } });
  check(badRef.response.status === 400 && badRef.error?.code === "invalid_parameter", `malformed reference: 400 (${badRef.response.status})`);
  return called;
}
