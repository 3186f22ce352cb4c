/** POST /api/v1/districts/move — admins move cases from the central database into their districts' databases. */
import * as z from "zod";
import { bearer } from "../auth/bearer.js";
import { requireAdmin } from "../auth/principal.js";
import { isDistrictLayout } from "../db/districts.js";
import { jsonBody } from "../http/body.js";
import { AUTH_PROBLEMS, BODY_PROBLEMS, contract } from "../http/contract.js";
import { ApiError } from "../http/problem.js";
import { moveToDistricts } from "../workflows/move.js";
import { createRouter } from "../http/router.js";

export const districtRoutes = createRouter();

const MoveBody = z.strictObject({ limit: z.number().int().min(1).max(1000).default(200).describe("Procedimenti spostati al più in questa chiamata") });

districtRoutes.post("/move", bearer, async (c) => {
  requireAdmin(c.get("principal"));
  if (!isDistrictLayout(c.env)) throw new ApiError("invalid_parameter", "DISTRICTS è vuoto: non c'è alcun distretto verso cui spostare i procedimenti", { parameter: "DISTRICTS" });
  const body = await jsonBody(c.req.raw, MoveBody);
  return c.json(await moveToDistricts(c.env, Date.now(), body.limit));
});

export const districtContracts = [contract({
  method: "post", path: "/api/v1/districts/move", operationId: "moveCasesToDistricts", tag: "Amministrazione", security: "bearer",
  summary: "Sposta i procedimenti dal database centrale a quello del loro distretto (passaggio all'assetto per distretti; da ripetere finché remaining è 0)",
  body: MoveBody,
  responses: {
    200: {
      description: "Procedimenti spostati per distretto, processi riavviati, procedimenti ancora da spostare",
      schema: z.object({ moved: z.record(z.string(), z.number().int()), restarted: z.number().int(), remaining: z.number().int() }),
    },
  },
  problems: [...AUTH_PROBLEMS, ...BODY_PROBLEMS],
})];
