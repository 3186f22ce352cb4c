/**
 * The report formats read back by real parsers: the PDF with pdfjs-dist,
 * the CSV with papaparse (Node project: neither loads in workerd).
 */
import Papa from "papaparse";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { describe, expect, it } from "vitest";
import { csvFiles, tableCsv } from "../../src/stats/csv.js";
import { reportPdf } from "../../src/stats/pdf.js";
import { nodeFonts } from "./fonts.js";
import { buildReport, type Counter } from "../../src/stats/report.js";
import { unzipSync } from "fflate";
import { zip } from "../../src/stats/zip.js";

const offices = [
  { id: "cuav-a", name: "CUAV Città di Prova", kind: "cuav", region: "Piemonte", jurisdiction: "TO" },
  { id: "procura-x", name: "Procura della Repubblica di Prova", kind: "procura", region: "Piemonte", jurisdiction: "TO" },
  // A name longer than its column: it must wrap in the PDF, not be cut.
  { id: "cuav-b", name: "Centro per uomini autori di violenza della Città Metropolitana di Prova e dei Comuni della Valle Lunghissima", kind: "cuav", region: "Piemonte", jurisdiction: "TO" },
];
const counters: Counter[] = [
  { month: "2026-01", officeId: "cuav-a", metric: "programme-ammonimento:event:programme.started-ammonimento", value: 12 },
  { month: "2026-02", officeId: "cuav-b", metric: "programme-ammonimento:event:programme.started-ammonimento", value: 37 },
  { month: "2026-03", officeId: "procura-x", metric: "362-bis:pm-assessment:met", value: 9 },
  { month: "2026-03", officeId: "procura-x", metric: "362-bis:pm-assessment:late", value: 5 },
  { month: "2026-03", officeId: "procura-x", metric: "362-bis:pm-assessment:d12", value: 14 },
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
    const pages = await pdfText(reportPdf(doc, "ab".repeat(32), await nodeFonts()));
    const all = pages.join("\n");
    expect(pages[0]).toContain("Relazione annuale regionale");
    expect(pages[0]).toContain("anno 2026");
    expect(all).toContain("Programmi per autori di violenza");
    expect(all).toContain("CUAV Città di Prova");
    expect(all).toContain("Rispetto dei termini dell'art. 362-bis c.p.p.");
    expect(all).toMatch(/Valutazione del PM \(30 giorni\)\s+9\s+5\s+0\s+64,3%\s+12\s+giorni/);
    expect(all).toContain("Volumi mensili");
    // The snapshot in Italian time, written out (10:00 UTC on 15 January is 11:00 in Rome).
    expect(pages[0]).toContain("15 gennaio 2027, 11:00 (ora italiana)");
    // The long name is all there, over two lines, with nothing cut off.
    expect(all).toMatch(/Centro per uomini autori di violenza della Città Metropolitana.*Valle Lunghissima/s);
    expect(all).not.toContain("…");
    // The chart: month names under the bars and a scale in round steps (37 cases: 0, 10, …, 40).
    const chart = pages[pages.length - 1]!;
    for (const m of ["gen", "feb", "mar", "giu", "dic"]) expect(chart).toContain(` ${m} `);
    for (const v of ["0", "10", "20", "30", "40"]) expect(chart.split(" ")).toContain(v);
    expect(chart).toContain("Mesi del 2026");
    pages.forEach((p, i) => expect(p).toContain(`Pagina ${i + 1} di ${pages.length}`));
  });

  it("starts with the PDF header and ends with its trailer", async () => {
    const text = new TextDecoder().decode(reportPdf(doc, "00", await nodeFonts()));
    expect(text.startsWith("%PDF-1.7")).toBe(true);
    expect(text.trimEnd().endsWith("%%EOF")).toBe(true);
  });
});

describe("the CSV", () => {
  it("is UTF-8 with a BOM and ';'-separated, and parses with a real CSV parser", () => {
    const text = tableCsv(doc.tables.find((t) => t.id === "362-bis")!);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const parsed = Papa.parse<string[]>(text.slice(1), { delimiter: ";", skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data[0]).toEqual(["Ufficio", "Termine", "Nei termini", "Oltre i termini", "Scadute e ancora aperte alla data dei dati", "Quota nei termini", "Mediana", "Unità"]);
    // The median is a number a spreadsheet can sum and sort; its unit has a column of its own.
    expect(parsed.data[1]).toEqual(["Procura della Repubblica di Prova", "Valutazione del PM (30 giorni)", "9", "5", "0", "64,3%", "12", "giorni"]);
  });

  it("writes decimals with the comma Italian spreadsheets read", () => {
    expect(tableCsv({ id: "t", title: "t", columns: [{ key: "m", label: "Mediana" }], rows: [{ m: 12.5 }] })).toBe("\uFEFFMediana\r\n12,5\r\n");
  });

  it("bundles every table in a zip that a real unzipper reads back, each entry dated at the snapshot in Italian time", () => {
    const files = csvFiles(doc);
    const bytes = zip(files, Date.parse("2027-01-15T10:00:00Z"));
    const back = unzipSync(bytes);
    expect(Object.keys(back)).toEqual(files.map((f) => f.name));
    for (const f of files) expect(new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(back[f.name])).toBe(f.text);
    // The DOS date and time of the first local header: 2027-01-15 11:00:00 (Rome).
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const time = view.getUint16(10, true);
    const date = view.getUint16(12, true);
    expect([(date >> 9) + 1980, (date >> 5) & 15, date & 31, time >> 11, (time >> 5) & 63]).toEqual([2027, 1, 15, 11, 0]);
  });

});

describe("a report of a period still running", () => {
  // Data taken on 6 December 2026: the year is not over.
  const running = buildReport("regional", "2026", "Piemonte", counters, offices, Date.parse("2026-12-06T06:47:00Z"))!;

  it("says 'dati provvisori' on the PDF's cover and on every CSV row", async () => {
    expect(running.provisional).toBe(true);
    expect(doc.provisional).toBe(false);
    const cover = (await pdfText(reportPdf(running, "ab".repeat(32), await nodeFonts())))[0]!;
    expect(cover).toContain("Dati provvisori al");
    expect(cover).toContain("DATI PROVVISORI");
    expect((await pdfText(reportPdf(doc, "ab".repeat(32), await nodeFonts())))[0]).not.toContain("provvisori");
    for (const f of csvFiles(running)) {
      const rows = Papa.parse<string[]>(f.text.slice(1), { delimiter: ";", skipEmptyLines: true }).data;
      expect(rows[0]!.at(-1)).toBe("Dati");
      for (const r of rows.slice(1)) expect(r.at(-1)).toBe("provvisori al 06/12/2026 07:47");
    }
    expect(Papa.parse<string[]>(tableCsv(doc.tables[0]!, doc).slice(1), { delimiter: ";" }).data[0]).not.toContain("Dati");
  });
});

describe("the chart", () => {
  it("says why it has no bars when no monthly count can be published, instead of drawing an empty chart", async () => {
    const small = buildReport("regional", "2026", "Piemonte", [
      { month: "2026-02", officeId: "cuav-a", metric: "programme-ammonimento:event:programme.started-ammonimento", value: 2 },
    ], offices, Date.parse("2027-01-15T10:00:00Z"))!;
    const pages = await pdfText(reportPdf(small, "ab".repeat(32), await nodeFonts()));
    const chart = pages.at(-1)!;
    expect(chart).toContain("Il grafico non è disegnato");
    expect(chart).toContain("Programmi avviati: senza barra febbraio");
    const empty = await pdfText(reportPdf(buildReport("regional", "2026", "Piemonte", [], offices, Date.parse("2027-01-15T10:00:00Z"))!, "ab".repeat(32), await nodeFonts()));
    expect(empty.at(-1)).toContain("Nessun programma avviato e nessun termine dell'art. 362-bis concluso nel periodo (anno 2026)");
  });
});
