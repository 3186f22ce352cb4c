/**
 * The report formats read back by real parsers: the PDF with pdfjs-dist,
 * the CSV with papaparse (Node project: neither loads in workerd).
 */
import Papa from "papaparse";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { describe, expect, it } from "vitest";
import { csvFiles, tableCsv } from "../../src/stats/csv.js";
import { reportPdf } from "../../src/stats/pdf.js";
import { buildReport, type Counter } from "../../src/stats/report.js";
import { crc32, zip } from "../../src/stats/zip.js";

const offices = [
  { id: "cuav-a", name: "CUAV Città di Prova", kind: "cuav", region: "Piemonte", jurisdiction: "TO" },
  { id: "procura-x", name: "Procura della Repubblica di Prova", kind: "procura", region: "Piemonte", jurisdiction: "TO" },
];
const counters: Counter[] = [
  { month: "2026-01", officeId: "cuav-a", metric: "programme-ammonimento:event:programme.started-ammonimento", value: 12 },
  { month: "2026-03", officeId: "procura-x", metric: "362-bis:pm-assessment:met", value: 9 },
  { month: "2026-03", officeId: "procura-x", metric: "362-bis:pm-assessment:late", value: 3 },
  { month: "2026-03", officeId: "procura-x", metric: "362-bis:pm-assessment:d12", value: 12 },
];
const doc = buildReport("regional", "2026", "Piemonte", counters, offices, Date.parse("2027-01-15T10:00:00Z"))!;

async function pdfText(bytes: Uint8Array): Promise<string[]> {
  const pdf = await getDocument({ data: bytes, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(content.items.map((it) => ("str" in it ? it.str : "")).join(" "));
  }
  return pages;
}

describe("the PDF", () => {
  it("parses back with a cover, the tables, the chart and page numbers, in Italian", async () => {
    const pages = await pdfText(reportPdf(doc, "ab".repeat(32)));
    const all = pages.join("\n");
    expect(pages[0]).toContain("Relazione annuale regionale");
    expect(pages[0]).toContain("anno 2026");
    expect(all).toContain("Programmi per autori di violenza");
    expect(all).toContain("CUAV Città di Prova");
    expect(all).toContain("Rispetto dei termini dell'art. 362-bis c.p.p.");
    expect(all).toContain("75%");
    expect(all).toContain("12 giorni");
    expect(all).toContain("Volumi mensili");
    pages.forEach((p, i) => expect(p).toContain(`Pagina ${i + 1} di ${pages.length}`));
  });

  it("starts with the PDF header and ends with its trailer", () => {
    const text = new TextDecoder().decode(reportPdf(doc, "00"));
    expect(text.startsWith("%PDF-1.4")).toBe(true);
    expect(text.trimEnd().endsWith("%%EOF")).toBe(true);
  });
});

describe("the CSV", () => {
  it("is UTF-8 with a BOM and ';'-separated, and parses with a real CSV parser", () => {
    const text = tableCsv(doc.tables.find((t) => t.id === "362-bis")!);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const parsed = Papa.parse<string[]>(text.slice(1), { delimiter: ";", skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data[0]).toEqual(["Ufficio", "Termine", "Nei termini", "Oltre i termini", "Quota nei termini", "Mediana"]);
    expect(parsed.data[1]).toEqual(["Procura della Repubblica di Prova", "Valutazione del PM (30 giorni)", "9", "<5", "75%", "12 giorni"]);
  });

  it("bundles every table in a zip whose entries check out", () => {
    const files = csvFiles(doc);
    const bytes = zip(files);
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(0, true)).toBe(0x04034b50);
    const firstName = new TextDecoder().decode(bytes.slice(30, 30 + view.getUint16(26, true)));
    expect(firstName).toBe(files[0]!.name);
    expect(view.getUint32(14, true)).toBe(crc32(new TextEncoder().encode(files[0]!.text)));
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });
});
