/**
 * The report as an accessible PDF (PDF/UA-1, through `pdf-writer`): A4, Italian, a cover with the
 * administration, the tables with their header cells, a bar chart of the monthly volumes with its
 * alternative text, page numbers as artifacts. Set in Titillium Web, the typeface of the web app.
 */
import type { Cell, ReportDocument, Table } from "./report.js";
import { PdfDoc, type PdfFonts, type Page, type StructElem } from "./pdf-writer.js";

export type { PdfFonts } from "./pdf-writer.js";

const W = 595;
const H = 842;
const MARGIN = 50;

const MONTHS = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"];

/** "2026-11-23T08:54:00+01:00" (Rome, as the document stores it) as "23 novembre 2026, 08:54". */
function italianDateTime(romeIso: string): string {
  const [, y, m, d, hm] = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2})/.exec(romeIso)!;
  return `${Number(d)} ${MONTHS[Number(m) - 1]} ${y}, ${hm}`;
}

/** A round step for the scale: 1, 2 or 5 times a power of ten, giving about four lines. */
function scaleStep(top: number): number {
  const rough = Math.max(1, top / 4);
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((k) => k * power).find((s) => s >= rough)!;
}

class Layout {
  readonly pdf: PdfDoc;
  page!: Page;
  y = 0;
  constructor(fonts: PdfFonts, doc: ReportDocument) {
    this.pdf = new PdfDoc(fonts, { title: doc.title, lang: "it-IT", subject: `${doc.periodLabel} — ${doc.scope === "IT" ? "Italia" : doc.scope}`, producer: "Termini" });
    this.newPage();
  }
  newPage(): void {
    this.page = this.pdf.newPage();
    this.y = H - MARGIN;
  }
  width(s: string, size: number, bold = false): number {
    return this.pdf.measure(s, size, bold);
  }
  wrap(text: string, size: number, max: number, bold = false): string[] {
    const lines: string[] = [];
    let line = "";
    for (let word of text.split(" ")) {
      // A word wider than the column is broken where it must be.
      while (this.width(word, size, bold) > max && word.length > 1) {
        let cut = word.length - 1;
        while (cut > 1 && this.width(word.slice(0, cut) + "-", size, bold) > max) cut--;
        if (line !== "") lines.push(line);
        lines.push(word.slice(0, cut) + "-");
        line = "";
        word = word.slice(cut);
      }
      const next = line === "" ? word : `${line} ${word}`;
      if (this.width(next, size, bold) > max && line !== "") {
        lines.push(line);
        line = word;
      } else line = next;
    }
    return line === "" ? lines : [...lines, line];
  }
  /** A paragraph or heading: its lines as one piece of content of `elem`. */
  block(elem: StructElem, text: string, size: number, bold = false, lead = size * 1.35): void {
    const lines = this.wrap(text, size, W - 2 * MARGIN, bold);
    this.page.tagged(elem, () => lines.forEach((l) => {
      this.page.text(MARGIN, this.y, l, size, bold);
      this.y -= lead;
    }));
  }
}

function cover(l: Layout, doc: ReportDocument, checksum: string, administration: string | undefined): void {
  const root = l.pdf.root;
  l.y = H - 90;
  l.block(root.add("P"), administration === undefined ? "Termini" : `${administration} — Termini`, 12, true);
  l.y = H - 160;
  l.block(root.add("H1"), doc.title, 20, true, 26);
  l.y -= 10;
  const facts: [string, string][] = [
    ["Periodo", doc.periodLabel],
    ["Ambito", doc.scope === "IT" ? "Italia" : doc.scope],
    [doc.provisional ? "Dati provvisori al" : "Dati aggiornati al", `${italianDateTime(doc.snapshotAt)} (ora italiana)`],
    ["Impronta SHA-256", `${checksum.slice(0, 32)} ${checksum.slice(32)}`],
  ];
  for (const [k, v] of facts) {
    const lines = l.wrap(v, 11, W - 2 * MARGIN - 130);
    l.page.tagged(root.add("P"), () => {
      l.page.text(MARGIN, l.y, k, 11, true);
      lines.forEach((line, i) => l.page.text(MARGIN + 130, l.y - i * 15, line, 11));
    });
    l.y -= 18 + (lines.length - 1) * 15;
  }
  if (doc.provisional) {
    l.y -= 8;
    l.block(root.add("P"), "DATI PROVVISORI: alla data dei dati il periodo non era concluso. I valori possono ancora cambiare; la relazione si trasmette con i dati definitivi, dopo la fine del periodo.", 11, true, 15);
  }
  l.y -= 20;
  // The notes are a list: a screen reader announces how many there are.
  const list = root.add("L");
  for (const n of doc.notes) {
    l.block(list.add("LI").add("LBody"), n, 9, false, 12);
    l.y -= 4;
  }
}

/** The tables one after another, over as many pages as they need; on a new page the header is repeated, as an artifact. */
function tables(l: Layout, tables: readonly Table[]): void {
  const size = 8;
  const usable = W - 2 * MARGIN;
  l.newPage();
  for (const t of tables) {
    // Columns as wide as their content needs (labels may wrap, cells may not), scaled to the page.
    const natural = t.columns.map((c) => Math.min(220, Math.max(
      ...c.label.split(" ").map((w) => l.width(w, 7, true)), ...t.rows.map((r) => l.width(String(r[c.key] ?? ""), size)), 20,
    ) + 8));
    // The first column (names) gives way first, so that headings are not broken mid-word.
    const rest = natural.slice(1).reduce((a, b) => a + b, 0);
    const total = natural.reduce((a, b) => a + b, 0);
    const widths = usable - rest >= 110 ? natural.map((w, i) => (i === 0 ? usable - rest : w)) : natural.map((w) => (w * usable) / total);
    const xs = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const labels = t.columns.map((c, i) => l.wrap(c.label, 7, widths[i]! - 4, true));
    const headerHeight = Math.max(...labels.map((x) => x.length)) * 8 + 6;
    // The heading, then the table: the reading order of the structure.
    const heading = l.pdf.root.add("H2");
    const table = l.pdf.root.add("Table");
    const header = (title: string, first: boolean) => {
      l.y -= 20;
      const titleY = l.y;
      if (first) l.page.tagged(heading, () => l.page.text(MARGIN, titleY, title, 13, true));
      else l.page.artifact(() => l.page.text(MARGIN, titleY, title, 13, true), "Pagination");
      l.y -= 10 + headerHeight;
      const top = l.y;
      l.page.artifact(() => l.page.rect(MARGIN, top, usable, headerHeight, 0.9));
      const draw = (i: number) => labels[i]!.forEach((line, k) => l.page.text(xs[i]! + 2, top + headerHeight - 9 - k * 8, line, 7, true));
      if (first) {
        const row = table.add("TR");
        labels.forEach((_, i) => l.page.tagged(row.add("TH", { scope: "Column" }), () => draw(i)));
      } else l.page.artifact(() => labels.forEach((_, i) => draw(i)), "Pagination");
    };
    // A table starts on a new page unless its title, header and a few rows fit here.
    if (l.y - (40 + headerHeight + 3 * 13) < MARGIN + 30) l.newPage();
    header(t.title, true);
    if (t.rows.length === 0) {
      l.y -= 14;
      const y = l.y;
      // Inside the table, under its header: a row whose one cell says so.
      l.page.tagged(table.add("TR").add("TD", { colSpan: t.columns.length }), () => l.page.text(MARGIN, y, "Nessun dato per il periodo.", 9));
    }
    for (const r of t.rows) {
      // Long office names wrap onto more lines rather than being cut: the row grows to fit.
      const cells = t.columns.map((c, i) => l.wrap(String(r[c.key] ?? ""), size, widths[i]! - 4));
      const height = Math.max(1, ...cells.map((x) => x.length)) * 10 + 3;
      if (l.y - height < MARGIN + 30) {
        l.newPage();
        header(`${t.title} (segue)`, false);
      }
      l.y -= height;
      const y = l.y;
      const row = table.add("TR");
      // The first column names the row (an office, a region): a row header.
      cells.forEach((lines, i) => l.page.tagged(row.add(i === 0 ? "TH" : "TD", i === 0 ? { scope: "Row" } : {}), () =>
        lines.forEach((line, k) => l.page.text(xs[i]! + 2, y + height - 10 - k * 10, line, size))));
      l.page.artifact(() => l.page.line(MARGIN, y - 1, MARGIN + usable, y - 1));
    }
    l.y -= 16;
  }
}

const numeric = (c: Cell): number => (typeof c === "number" ? c : 0);

function chart(l: Layout, doc: ReportDocument): void {
  l.newPage();
  const p = l.page;
  const root = l.pdf.root;
  const titleY = H - MARGIN - 20;
  p.tagged(root.add("H2"), () => p.text(MARGIN, titleY, "Volumi mensili", 13, true));
  const series = [
    { label: "Programmi avviati", grey: 0.35, cells: doc.monthly.map((m) => m.programmes) },
    { label: "Termini art. 362-bis conclusi", grey: 0.7, cells: doc.monthly.map((m) => m.deadlines) },
  ].map((s) => ({ ...s, values: s.cells.map(numeric) }));
  const month = (m: string) => MONTHS[Number(m.slice(5)) - 1]!;
  // Months without a bar because their count is not published: named, so that no bar reads as zero.
  const unpublished = series.map((s) => ({ label: s.label, months: doc.monthly.filter((_, i) => typeof s.cells[i] === "string").map((m) => month(m.month)) }));
  const explain = (y: number) => {
    l.y = y;
    for (const u of unpublished.filter((x) => x.months.length > 0)) {
      l.block(root.add("P"), `${u.label}: senza barra ${u.months.join(", ")}, perché il valore è «<5» o «riservato» (vedi le note in copertina).`, 9, false, 12);
    }
  };
  if (series.every((s) => s.values.every((v) => v === 0))) {
    l.y = H - MARGIN - 50;
    l.block(root.add("P"), unpublished.every((u) => u.months.length === 0)
      ? `Nessun programma avviato e nessun termine dell'art. 362-bis concluso nel periodo (${doc.periodLabel}): il grafico non ha barre da mostrare.`
      : "Il grafico non è disegnato: nessun volume mensile del periodo si può pubblicare, perché ognuno è zero, «<5» o «riservato».", 10);
    explain(l.y - 10);
    return;
  }
  // What the bars show, in words, for whoever cannot see them.
  const alt = `Grafico a barre dei volumi mensili (${doc.periodLabel}), per mese: ` + doc.monthly.map((m) =>
    `${month(m.month)} ${m.programmes} programmi avviati e ${m.deadlines} termini conclusi`).join("; ") + ".";
  const highest = Math.max(1, ...series.flatMap((s) => s.values));
  const step = scaleStep(highest);
  const top = step * Math.ceil(highest / step);
  const base = H / 2;
  const height = 260;
  const left = MARGIN + 30; // room for the scale's numbers
  const slot = (W - MARGIN - left) / doc.monthly.length;
  const bar = Math.min(14, slot / 2 - 2);
  p.tagged(root.add("Figure", { alt }), () => {
    // The scale: a labelled line at each step, so that bars can be read as numbers.
    for (let v = 0; v <= top; v += step) {
      const y = base + (v / top) * height;
      p.line(left, y, W - MARGIN, y);
      p.text(MARGIN, y - 3, String(v), 8);
    }
    doc.monthly.forEach((m, i) => {
      series.forEach((s, k) => {
        const h = (s.values[i]! / top) * height;
        if (h > 0) p.rect(left + i * slot + 2 + k * (bar + 1), base, bar, h, s.grey);
      });
      p.text(left + i * slot + 2, base - 14, month(m.month).slice(0, 3), 8);
    });
    p.text(left, base - 28, `Mesi del ${doc.monthly[0]?.month.slice(0, 4) ?? ""}; numero di casi per mese`, 8);
    series.forEach((s, k) => {
      p.rect(MARGIN, base - 56 - k * 16, 10, 10, s.grey);
      p.text(MARGIN + 16, base - 54 - k * 16, s.label, 9);
    });
  });
  explain(base - 96);
}

export function reportPdf(doc: ReportDocument, checksum: string, fonts: PdfFonts, administration?: string): Uint8Array {
  const l = new Layout(fonts, doc);
  cover(l, doc, checksum, administration);
  tables(l, doc.tables);
  // The compliance reports have no monthly volumes: no chart page.
  if (doc.monthly.length > 0) chart(l, doc);
  const pages = l.pdf.pages;
  pages.forEach((p, i) => p.artifact(() => p.text(W / 2 - 30, 25, `Pagina ${i + 1} di ${pages.length}`, 8), "Pagination"));
  return l.pdf.bytes();
}
