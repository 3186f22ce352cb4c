/** The web app's errors as a page a person can read; the API keeps problem+json. */
import type { Context } from "hono";
import { type ProblemCode, PROBLEMS } from "../http/problem.js";
import { Layout } from "./layout.js";

export function wantsPage(c: Context): boolean {
  const path = new URL(c.req.url).pathname;
  return (c.req.header("Accept") ?? "").includes("text/html") && !path.startsWith("/api/") && !path.startsWith("/webhooks/") && !path.startsWith("/ical/");
}

export function errorPage(c: Context, code: ProblemCode, detail: string): Response | Promise<Response> {
  const { status, title } = PROBLEMS[code];
  return c.html(
    <Layout title={title}>
      <p role="alert">{detail}</p>
      <p><a href="/">Torna alle scadenze</a> · <span class="muted">riferimento: {c.get("requestId")}</span></p>
    </Layout>,
    status,
  );
}
