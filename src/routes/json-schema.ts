/** Zod schemas as /openapi.json describes them (JSON Schema 2020-12, the request's side). */
import * as z from "zod";

type Json = Record<string, unknown>;

/** JSON Schema of a Zod schema as a request carries it; a query integer documented as one. */
export const schema = (s: z.ZodType): Json => {
  const { $schema: _, ...rest } = z.toJSONSchema(s, {
    io: "input", unrepresentable: "any",
    override: (ctx) => {
      const j = ctx.jsonSchema as Json & { integerParam?: { min: number; max: number } };
      if (j.integerParam === undefined) return;
      const { min, max } = j.integerParam;
      for (const k of Object.keys(j)) if (k !== "description" && k !== "default") delete j[k];
      Object.assign(j, { type: "integer", minimum: min, maximum: max });
    },
  }) as Json;
  return rest;
};

