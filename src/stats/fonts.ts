/**
 * The report's typeface, Titillium Web (SIL Open Font License), as Bootstrap Italia ships it: the
 * TrueType files sit in the Worker's static assets beside the WOFF2 files the pages use, so the PDF
 * costs the bundle nothing; they are read and parsed once per isolate, when a first PDF is asked for.
 */
import { type PdfFonts } from "./pdf-writer.js";
import { parseTrueType } from "./ttf.js";

/** Paths under Bootstrap Italia's dist folder (the assets' root). */
const FONT_FILES = {
  regular: "fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.ttf",
  bold: "fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-700.ttf",
} as const;

let cached: Promise<PdfFonts> | undefined;

/** The fonts, read with `read` (a path under the assets' root → its bytes) the first time only. */
export function reportFonts(read: (path: string) => Promise<Uint8Array>): Promise<PdfFonts> {
  cached ??= Promise.all([read(FONT_FILES.regular), read(FONT_FILES.bold)])
    .then(([regular, bold]) => ({ regular: parseTrueType(regular), bold: parseTrueType(bold) }))
    // A failed read is not remembered: the next PDF tries again.
    .catch((e: unknown) => { cached = undefined; throw e; });
  return cached;
}
