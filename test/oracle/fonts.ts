/** The report's fonts read from the installed Bootstrap Italia package, as the Worker reads them from its assets (Node tests and benches). */
import { readFile } from "node:fs/promises";
import { reportFonts } from "../../src/stats/fonts.js";

export const nodeFonts = () => reportFonts(async (path) => new Uint8Array(await readFile(`node_modules/bootstrap-italia/dist/${path}`)));
