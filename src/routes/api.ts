/** The staff API: bearer tokens scoped to offices. */
import { bearer } from "../auth/bearer.js";
import { requireCaseReader } from "../auth/principal.js";
import { caseEvents } from "./case-events.js";
import { caseRoutes } from "./cases.js";
import { officeDeadlines } from "./office-deadlines.js";
import { outboxRoute } from "./outbox.js";
import { subscriptionRoutes } from "./subscriptions.js";
import { createRouter } from "../http/router.js";

export const api = createRouter();
for (const path of ["/cases", "/cases/*", "/offices/*", "/outbox", "/subscriptions", "/subscriptions/*"]) api.use(path, bearer);
// Case data is for the offices involved: ministry and region officers read reports only.
for (const path of ["/cases", "/cases/*"]) api.use(path, async (c, next) => {
  requireCaseReader(c.get("principal"));
  await next();
});
api.route("/cases", caseEvents);
api.route("/cases", caseRoutes);
api.route("/offices", officeDeadlines);
api.route("/outbox", outboxRoute);
api.route("/subscriptions", subscriptionRoutes);
