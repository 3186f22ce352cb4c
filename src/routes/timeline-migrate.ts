/** POST /api/v1/timelines/{id}/migrate — admins move running instances to a newer version. */
import * as z from "zod";
import { bearer } from "../auth/bearer.js";
import { requireAdmin } from "../auth/principal.js";
import { caseDbs } from "../db/districts.js";
import { migrateInstances } from "../domain/stages/migrate-instances.js";
import { jsonBody } from "../http/body.js";
import { AUTH_PROBLEMS, BODY_PROBLEMS, contract } from "../http/contract.js";
import { wakeAll } from "../workflows/wake.js";
import { createRouter } from "../http/router.js";

export const timelineMigrate = createRouter();

const MigrateBody = z.strictObject({ from: z.number().int().positive(), to: z.number().int().positive() });

timelineMigrate.post("/:id/migrate", bearer, async (c) => {
  const p = c.get("principal");
  requireAdmin(p);
  const now = Date.now();
  const body = await jsonBody(c.req.raw, MigrateBody);
  const id = c.req.param("id");
  // Each district's instances in its own database, one district after another.
  const out = { migrated: [] as Awaited<ReturnType<typeof migrateInstances>>["migrated"], remaining: 0 };
  for (const db of caseDbs(c.env)) {
    const { migrated, remaining } = await migrateInstances(db, p, id, body.from, body.to, now, c.get("requestId"), c.env.APP_BASE_URL);
    await wakeAll(c.env, db, { start: [], replan: migrated.map((m) => ({ instanceId: m.instanceId })) }, now);
    out.migrated.push(...migrated);
    out.remaining += remaining;
  }
  return c.json({ timeline: id, from: body.from, to: body.to, ...out });
});

export const migrateContracts = [contract({
  method: "post", path: "/api/v1/timelines/{id}/migrate", operationId: "migrateTimeline", tag: "Scadenzari", security: "bearer",
  summary: "Sposta le istanze in corso a una versione successiva, con le date ricalcolate (amministratori)",
  params: z.object({ id: z.string().describe("Scadenzario, es. 362-bis") }), body: MigrateBody,
  responses: {
    200: {
      description: "Istanze spostate (al più 100 per distretto a ogni chiamata) e quante restano",
      schema: z.object({
        timeline: z.string(), from: z.number().int(), to: z.number().int(),
        migrated: z.array(z.object({ instanceId: z.string(), moves: z.array(z.object({ deadline: z.string(), from: z.string(), to: z.string().nullable().describe("null: fase ritirata") })) })),
        remaining: z.number().int(),
      }),
    },
  },
  problems: [...AUTH_PROBLEMS, ...BODY_PROBLEMS],
})];
