/** The web app's errors as a page a person can read; the API keeps problem+json. */
import type { Context } from "hono";
import { type ProblemCode, PROBLEMS } from "../http/problem.js";
import { Layout } from "./layout.js";
import { Alert } from "./ui.js";
import type { AppEnv, WebUser } from "../env.js";
import { currentUser } from "./session.js";

export function wantsPage(c: Context): boolean {
  const path = new URL(c.req.url).pathname;
  return (c.req.header("Accept") ?? "").includes("text/html") && !path.startsWith("/api/") && !path.startsWith("/webhooks/") && !path.startsWith("/ical/");
}

/** The signed-in user, if any: the error page keeps the navigation and the sign-out button. */
async function userOf(c: Context<AppEnv>): Promise<WebUser | undefined> {
  try {
    return c.get("user") ?? (await currentUser(c, Date.now()));
  } catch {
    return undefined;
  }
}

export async function errorPage(c: Context<AppEnv>, code: ProblemCode, detail: string): Promise<Response> {
  const { status, title } = PROBLEMS[code];
  return c.html(
    <Layout title={title} user={await userOf(c)}>
      <Alert tone="danger">{detail}</Alert>
      <p><a href="/">Torna alle scadenze</a> · <span class="muted">riferimento: {c.get("requestId")}</span></p>
    </Layout>,
    status,
  );
}
