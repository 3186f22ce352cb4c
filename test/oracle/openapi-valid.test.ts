/**
 * /openapi.json validates against the OpenAPI 3.1 schema, checked by an
 * independent validator (@seriousme/openapi-schema-validator, the official
 * JSON schemas of the specification). Run in Node: the validator compiles
 * schemas to code, which workerd does not allow. The document is the one the
 * Worker serves, built from the same route contracts.
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import { expect, it } from "vitest";
import { openApiDocument } from "../../src/routes/openapi-document.js";

it("validates as an OpenAPI 3.1 document", async () => {
  const validator = new Validator();
  const result = await validator.validate(JSON.parse(JSON.stringify(openApiDocument())));
  expect(validator.version).toBe("3.1");
  expect(result.errors ?? []).toEqual([]);
  expect(result.valid).toBe(true);
});

it("is refused by the same validator when broken, so the check can fail", async () => {
  const broken = JSON.parse(JSON.stringify(openApiDocument())) as { paths: Record<string, Record<string, { parameters: { in?: string }[] }>> };
  // A parameter that does not say where it goes.
  delete broken.paths["/api/v1/terms"]!.get!.parameters[0]!.in;
  const result = await new Validator().validate(broken);
  expect(result.valid).toBe(false);
});
