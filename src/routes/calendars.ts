/** GET /api/v1/calendars — the holiday data the engine uses, with sources. */
import { Hono } from "hono";
import { LOCAL_CALENDARS, NATIONAL_HOLIDAYS } from "../engine/calendar-data.js";

export const calendars = new Hono();

calendars.get("/", (c) => {
  c.header("Cache-Control", "public, max-age=3600");
  return c.json({
    national: { id: "IT", holidays: NATIONAL_HOLIDAYS },
    local: LOCAL_CALENDARS,
  });
});
