/**
 * The report PDF read back as an assistive technology and a PDF/UA checker would read it: pdf.js
 * for the structure tree, the catalogue and the text; poppler's pdffonts for the fonts; and the
 * content streams scanned for any mark outside marked content.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { beforeAll, describe, expect, it } from "vitest";
import { reportPdf } from "../../src/stats/pdf.js";
import { type Counter, buildReport } from "../../src/stats/report.js";
import { nodeFonts } from "./fonts.js";

// Names with every accented letter Italian uses, guillemets, a dash and an apostrophe: each must read back as itself.
const ACCENTED = "Centro «Ètà» dell’Aquila — àèéìíòóù ÀÈÉÌÒÙ";
const offices = [
  { id: "cuav-a", name: ACCENTED, kind: "cuav", region: "Abruzzo", jurisdiction: "AQ" },
  { id: "procura-a", name: "Procura della Repubblica presso il Tribunale de L’Aquila", kind: "procura", region: "Abruzzo", jurisdiction: "AQ" },
  { id: "gip-a", name: "Ufficio GIP di L’Aquila", kind: "gip", region: "Abruzzo", jurisdiction: "AQ" },
];
const counters: Counter[] = [
  { month: "2026-02", officeId: "cuav-a", metric: "programme-ammonimento:event:programme.started-ammonimento", value: 14 },
  { month: "2026-03", officeId: "procura-a", metric: "362-bis:pm-assessment:met", value: 21 },
  { month: "2026-03", officeId: "procura-a", metric: "362-bis:pm-assessment:late", value: 6 },
];
const doc = buildReport("regional", "2026", "Abruzzo", counters, offices, Date.parse("2027-01-15T10:00:00Z"))!;

interface Node { role?: string; alt?: string; children?: Node[]; type?: string }
let bytes: Uint8Array;
let trees: Node[];
let pdf: Awaited<ReturnType<typeof getDocument>["promise"]>;

beforeAll(async () => {
  bytes = reportPdf(doc, "ab".repeat(32), await nodeFonts(), "Regione Abruzzo");
  pdf = await getDocument({ data: bytes.slice(), disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  trees = [];
  for (let i = 1; i <= pdf.numPages; i++) trees.push((await (await pdf.getPage(i)).getStructTree()) as Node);
});

const walk = (n: Node, f: (n: Node) => void): void => { f(n); n.children?.forEach((c) => walk(c, f)); };
const roles = (n: Node) => { const out: string[] = []; walk(n, (x) => x.role && out.push(x.role)); return out; };

describe("the report PDF (PDF/UA-1)", () => {
  it("has a structure tree on every page: a title, headings, tables, a figure", () => {
    for (const t of trees) expect(t, "a page without a structure tree").toBeTruthy();
    const all = trees.flatMap(roles);
    expect(roles(trees[0]!)).toContain("H1");
    for (const r of ["H2", "Table", "TR", "TH", "TD", "Figure", "P", "L", "LI", "LBody"]) expect(all).toContain(r);
  });

  it("gives every table a header row of TH cells, and every row a header cell", () => {
    const tables: Node[] = [];
    for (const t of trees) walk(t, (n) => n.role === "Table" && tables.push(n));
    expect(tables.length).toBeGreaterThanOrEqual(4);
    for (const t of tables) {
      const rows = (t.children ?? []).filter((c) => c.role === "TR");
      // A table continued on a later page shows its rows there: the header row is on the first page.
      if (rows.length === 0) continue;
      for (const r of rows) {
        const cells = (r.children ?? []).filter((c) => c.role !== undefined);
        // An empty table's one row, "Nessun dato per il periodo.", is a single data cell across the columns.
        if (cells.length > 1) expect(cells[0]?.role).toBe("TH");
      }
    }
    const first = tables.find((t) => (t.children ?? []).some((c) => c.role === "TR"))!;
    expect((first.children![0]!.children ?? []).every((c) => c.role === "TH")).toBe(true);
  });

  it("spans an empty table's one cell across its columns", () => {
    const text = new TextDecoder("latin1").decode(bytes);
    // "Segnalazioni per ufficio" has no rows here: its one cell spans the table's two columns.
    expect(text).toMatch(/\/S \/TD [^\n]*\/A << \/O \/Table \/ColSpan 2 >>/);
  });

  it("describes the chart in words", () => {
    const figures: Node[] = [];
    for (const t of trees) walk(t, (n) => n.role === "Figure" && figures.push(n));
    expect(figures).toHaveLength(1);
    expect(figures[0]!.alt).toMatch(/^Grafico a barre dei volumi mensili \(anno 2026\), per mese: gennaio 0 programmi avviati/);
    expect(figures[0]!.alt).toContain("febbraio 14 programmi avviati");
  });

  it("puts every mark inside marked content: structure or artifact", () => {
    const text = new TextDecoder("latin1").decode(bytes);
    const contents = [...text.matchAll(/\/Contents (\d+) 0 R/g)].map((m) => m[1]!);
    expect(contents.length).toBe(pdf.numPages);
    for (const id of contents) {
      const m = new RegExp(`\\n${id} 0 obj\\n<<\\s*/Length (\\d+) >>\\nstream\\n`).exec(text)!;
      const stream = text.slice(m.index + m[0].length, m.index + m[0].length + Number(m[1]));
      let depth = 0;
      for (const line of stream.split("\n")) {
        if (/ (BDC|BMC)$/.test(line)) depth++;
        else if (line === "EMC") depth--;
        else expect(depth, `outside marked content: ${line}`).toBe(1);
      }
      expect(depth).toBe(0);
    }
  });

  it("declares its language, its marked status, the title to show and the PDF/UA identifier", async () => {
    const { info, metadata } = await pdf.getMetadata();
    expect((info as { Title: string }).Title).toBe(doc.title);
    expect((info as { Language: string }).Language).toBe("it-IT");
    expect(await pdf.getMarkInfo()).toMatchObject({ Marked: true });
    expect(await pdf.getViewerPreferences()).toMatchObject({ DisplayDocTitle: true });
    expect(metadata!.get("dc:title")).toBe(doc.title);
    expect(metadata!.get("pdfuaid:part")).toBe("1");
    // The document information dictionary is an indirect object, as the specification wants.
    expect(new TextDecoder("latin1").decode(bytes.slice(-200))).toMatch(/\/Info \d+ 0 R/);
  });

  it("embeds its fonts, each with a map back to Unicode", () => {
    const dir = mkdtempSync(join(tmpdir(), "termini-pdf-"));
    writeFileSync(join(dir, "r.pdf"), bytes);
    const rows = execFileSync("pdffonts", [join(dir, "r.pdf")], { encoding: "utf8" }).trim().split("\n").slice(2);
    expect(rows.length).toBe(2);
    for (const r of rows) {
      // name, type (two words), encoding, emb, sub, uni, object, generation
      const cols = r.trim().split(/\s+/);
      expect(cols[0]).toMatch(/^TitilliumWeb-(Regular|Bold)$/);
      expect(cols.slice(-5, -2)).toEqual(["yes", "no", "yes"]);
    }
  });

  it("reads every character back as itself, none drawn with the missing glyph", async () => {
    let all = "";
    for (let i = 1; i <= pdf.numPages; i++) all += (await (await pdf.getPage(i)).getTextContent()).items.map((x) => ("str" in x ? x.str : "")).join("");
    expect(all).toContain(ACCENTED);
    expect(all).toContain("Regione Abruzzo — Termini");
    expect(all).toContain("«<5»");
    const text = new TextDecoder("latin1").decode(bytes);
    for (const [, hex] of text.matchAll(/<([0-9a-f]+)> Tj/g)) expect(hex!.match(/.{4}/g)).not.toContain("0000");
  });
});
