/** GET /api/v1 — what the API offers, for a developer finding their way in. */
import { contract } from "../http/contract.js";
import { createRouter } from "../http/router.js";

export const apiIndex = createRouter();

apiIndex.get("/", (c) =>
  c.json({
    name: "Termini",
    description: "Calcolo dei termini di legge nei procedimenti per violenza di genere e domestica",
    endpoints: ["/api/v1/terms", "/api/v1/calendars", "/api/v1/cases", "/api/v1/timelines", "/api/v1/deadlines/preview", "/api/v1/reports", "/api/v1/subscriptions", "/webhooks/events", "/openapi.json", "/docs"],
  }),
);

export const indexContracts = [contract({
  method: "get", path: "/api/v1", operationId: "getApiIndex", tag: "Termini", summary: "Indice dell'API (pubblico)", responses: { 200: { description: "Nome, descrizione e punti d'accesso" } }, problems: [],
})];
