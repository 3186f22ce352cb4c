/**
 * One rule for every operation: a query parameter the operation does not
 * know is refused (400 unknown_parameter), never silently ignored — a typo
 * must not quietly do something else than the caller meant. Operations with
 * a query schema refuse through it (strict objects); this refuses for the
 * others, from the contract of the route that matched.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env.js";
import { ApiError } from "../http/problem.js";
import { CONTRACTS } from "./contracts.js";

/** "/api/v1/cases/:ref{.+}/events" → "/api/v1/cases/{ref}/events": Hono's path as the contract writes it. */
const contractPath = (honoPath: string) => honoPath.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}");

const WITHOUT_QUERY = new Set(CONTRACTS.filter((c) => c.query === undefined).map((c) => `${c.method.toUpperCase()} ${c.path}`));

export const refuseUnknownQuery = createMiddleware<AppEnv>(async (c, next) => {
  const names = [...new URL(c.req.url).searchParams.keys()];
  if (names.length > 0) {
    // The handler the router picked: the last matched route that is not middleware.
    const handler = c.req.matchedRoutes.filter((r) => r.method !== "ALL").at(-1);
    // A HEAD is answered by its GET route.
    const method = c.req.method === "HEAD" ? "GET" : c.req.method;
    const key = handler === undefined ? undefined : `${method} ${contractPath(handler.path)}`;
    // QStash's addresses carry the district; those routes read it themselves.
    if (key !== undefined && WITHOUT_QUERY.has(key) && !key.startsWith("POST /webhooks/qstash/")) {
      throw new ApiError("unknown_parameter", `${names[0]}: parametro sconosciuto; questa operazione non ne accetta`, { parameter: names[0]! });
    }
  }
  await next();
});
