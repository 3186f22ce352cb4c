import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import { assets } from "./web/assets.js";
import type { AppEnv } from "./env.js";
import { d1Meter } from "./http/d1-meter.js";
import { hasOwn } from "./lib/own.js";
import { replicateDirectory } from "./db/replicate.js";
import { misconfiguration } from "./deployment.js";
import { config } from "./config.js";
import { ApiError, PROBLEMS, problem, refusalOf } from "./http/problem.js";
import { api } from "./routes/api.js";
import { apiIndex } from "./routes/index-route.js";
import { docs } from "./routes/docs.js";
import { admin } from "./web/admin.js";
import { officeWebhooks } from "./web/office-webhooks.js";
import { refuseUnknownQuery } from "./routes/strict-query.js";
import { errorPage, wantsPage } from "./web/error-page.js";
import { calendarPage } from "./web/calendar-page.js";
import { reportsPage } from "./web/reports-page.js";
import { casePage } from "./web/case-page.js";
import { actPage } from "./web/act-page.js";
import { setAdministration } from "./web/layout.js";
import { legalPages } from "./web/legal-pages.js";
import { dashboard } from "./web/dashboard.js";
import { signIn } from "./web/signin.js";
import { oidcSignIn } from "./web/oidc-signin.js";
import { preview } from "./routes/preview.js";
import { reportRoutes } from "./routes/reports.js";
import { timelineMigrate } from "./routes/timeline-migrate.js";
import { districtRoutes } from "./routes/districts.js";
import { integrityRoutes } from "./routes/integrity.js";
import { auditLogRoutes } from "./routes/audit-log.js";
import { timelines } from "./routes/timelines.js";
import { webhooks } from "./routes/webhooks.js";
import { qstash } from "./routes/qstash.js";
import { calendars } from "./routes/calendars.js";
import { terms } from "./routes/terms.js";
import { createRouter } from "./http/router.js";


/** Where the deployment says its pages are served from (links in emails point there). */
function appOrigin(base: string | undefined): string | null {
  try {
    return base === undefined ? null : new URL(base).origin;
  } catch {
    return null;
  }
}

export function createApp(): Hono<AppEnv> {
  const app = createRouter();
  app.use(requestId({ headerName: "X-Request-Id" }));
  // Every answer: no inline script or style, never framed, no sniffing, no referrer, HTTPS only.
  app.use(secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", "data:"],
      // Bootstrap Italia's sheet embeds one icon font (its video player's) as a data: URI.
      fontSrc: ["'self'", "data:"],
      formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"], objectSrc: ["'none'"],
    },
    strictTransportSecurity: "max-age=31536000; includeSubDomains",
    referrerPolicy: "no-referrer",
    xFrameOptions: "DENY",
    // A route may set a stricter policy of its own (a sent email's HTML: no script, no fetch, sandboxed).
    overwrite: false,
  }));
  // Web forms come from our own pages: besides the CSRF token, the browser's Origin must be ours.
  const sameOrigin = csrf({ origin: (origin, c) => origin === new URL(c.req.url).origin || origin === appOrigin(c.env.APP_BASE_URL) });
  app.use(async (c, next) => {
    const path = new URL(c.req.url).pathname;
    return path.startsWith("/api/") || path.startsWith("/webhooks/") ? next() : sameOrigin(c, next);
  });
  // A deployment that would hand out sign-in links or unkeyed client addresses serves nothing.
  app.use(async (c, next) => {
    const why = misconfiguration(c.env);
    if (why === null) {
      setAdministration(config(c.env).ADMINISTRATION_NAME);
      return next();
    }
    console.error(JSON.stringify({ level: "error", action: "deployment.misconfigured", reason: why }));
    return problem(c, "service_misconfigured", why);
  });
  app.use(d1Meter);
  app.use("/api/*", refuseUnknownQuery);
  app.use("/webhooks/*", refuseUnknownQuery);
  // The directory is changed centrally (offices, senders, subscriptions) and copied to every district
  // database before the administrator's answer; a copy that fails is retried by the next sweep.
  app.use(async (c, next) => {
    await next();
    const path = new URL(c.req.url).pathname;
    if (c.req.method === "GET" || c.res.status >= 400 || !(path.startsWith("/admin/") || path.startsWith("/webhook/") || path.startsWith("/api/v1/subscriptions"))) return;
    // The change itself is made: a copy that cannot be made now is the sweep's to make, not the administrator's error.
    await replicateDirectory(c.env).catch((e: unknown) => {
      console.error(JSON.stringify({ level: "error", action: "directory.replicate", error: e instanceof Error ? e.name : "unknown" }));
    });
  });

  app.route("/api/v1", apiIndex);
  // A bare route: liveness, and the benchmark's baseline.
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.route("/api/v1/terms", terms);
  app.route("/api/v1/calendars", calendars);
  app.route("/api/v1/timelines", timelines);
  app.route("/api/v1/timelines", timelineMigrate);
  app.route("/api/v1/districts", districtRoutes);
  app.route("/api/v1/integrity", integrityRoutes);
  app.route("/api/v1/audit-log", auditLogRoutes);
  app.route("/api/v1/deadlines/preview", preview);
  app.route("/api/v1/reports", reportRoutes);
  app.route("/api/v1", api);
  app.route("/webhooks/qstash", qstash);
  app.route("/webhooks", webhooks);
  app.route("/", assets);
  app.route("/", docs);
  app.route("/", signIn);
  app.route("/", oidcSignIn);
  app.route("/", legalPages);
  app.route("/", dashboard);
  app.route("/", casePage);
  app.route("/", actPage);
  app.route("/", calendarPage);
  app.route("/", reportsPage);
  app.route("/", admin);
  app.route("/", officeWebhooks);
  app.get("/problems/:code", (c) => {
    const code = c.req.param("code");
    if (!hasOwn(PROBLEMS, code)) return problem(c, "not_found", `Tipo di problema sconosciuto: ${code}`);
    return c.json({ code, ...PROBLEMS[code as keyof typeof PROBLEMS] });
  });

  // A person in a browser gets the Italian page, with the navigation; a program, problem+json.
  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    return wantsPage(c) ? errorPage(c, "not_found", `La pagina ${path} non esiste.`) : problem(c, "not_found", `Nessuna risorsa per ${c.req.method} ${path}`);
  });
  app.onError((err, c) => {
    // hono/csrf refuses a form from another origin with a bare 403.
    if (err instanceof HTTPException && err.status === 403) err = new ApiError("forbidden", "Modulo inviato da un'origine diversa da Termini: richiesta rifiutata");
    const refused = refusalOf(err);
    if (refused !== undefined) return wantsPage(c) ? errorPage(c, refused.code, refused.detail) : problem(c, refused.code, refused.detail, refused.extra);
    // Only the request id and the error class: messages may carry input.
    console.error(JSON.stringify({ level: "error", requestId: c.get("requestId"), error: err.name }));
    return problem(c, "internal_error", "Si è verificato un errore interno. Riferire il requestId all'assistenza.");
  });
  return app;
}
