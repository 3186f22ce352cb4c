/**
 * npm run catalogue — validates every timeline definition and writes
 * src/timelines/catalogue.generated.json, what the Worker loads: the
 * validation runs here and in the tests, not on every cold start. A test
 * fails when the file is stale.
 */
import { writeFileSync } from "node:fs";
import { generatedCatalogue } from "../src/timelines/sources.js";

writeFileSync("src/timelines/catalogue.generated.json", generatedCatalogue());
console.log("src/timelines/catalogue.generated.json written");
