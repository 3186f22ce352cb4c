/** GET /api/v1/calendars — the holiday data the engine uses, with sources. */
import { LOCAL_CALENDARS, NATIONAL_HOLIDAYS } from "../engine/calendar-data.js";
import * as z from "zod";
import { contract } from "../http/contract.js";
import { createRouter } from "../http/router.js";

export const calendars = createRouter();

calendars.get("/", (c) => {
  c.header("Cache-Control", "public, max-age=3600");
  return c.json({
    national: { id: "IT", holidays: NATIONAL_HOLIDAYS },
    local: LOCAL_CALENDARS,
  });
});

export const calendarsContracts = [contract({
  method: "get", path: "/api/v1/calendars", operationId: "listCalendars", tag: "Termini", summary: "Festività nazionali e chiusure locali usate dal calcolo, con le fonti (pubblico)",
  problems: [],
  responses: {
    200: {
      description: "Calendari: national (IT) e local (per sede), ogni festività con la sua regola e la fonte",
      schema: z.object({
        national: z.object({ id: z.literal("IT"), holidays: z.array(z.object({ id: z.string(), name: z.string(), rule: z.object({ kind: z.string() }).loose(), source: z.string().describe("Fonte normativa") }).loose()) }),
        local: z.array(z.object({ id: z.string() }).loose()),
      }),
    },
  },
})];
