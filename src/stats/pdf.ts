/**
 * The report as a PDF: A4, Italian, a cover, the tables, a bar chart of the
 * monthly volumes, page numbers. Written by hand (PDF 1.4, the standard
 * Helvetica fonts in WinAnsi encoding): a Worker has no room for a layout
 * engine, and a report needs only text, lines and rectangles.
 */
import type { Cell, ReportDocument, Table } from "./report.js";

const W = 595;
const H = 842;
const MARGIN = 50;

// WinAnsi (cp1252) codes of the characters above Latin-1 that Italian text uses.
const WIN_ANSI: Record<string, number> = { "€": 0x80, "…": 0x85, "‘": 0x91, "’": 0x92, "“": 0x93, "”": 0x94, "–": 0x96, "—": 0x97 };

/** A PDF string literal in WinAnsi; characters outside it become "?". */
function pdfString(text: string): string {
  let out = "(";
  for (const ch of text) {
    const code = WIN_ANSI[ch] ?? ch.codePointAt(0)!;
    if (code > 255) out += "?";
    else if (ch === "(" || ch === ")" || ch === "\\") out += "\\" + ch;
    else if (code < 32 || code > 126) out += "\\" + code.toString(8).padStart(3, "0");
    else out += ch;
  }
  return out + ")";
}

/** Approximate Helvetica advance, for fitting text into columns. */
const width = (text: string, size: number) => [...text].reduce((w, ch) => w + (/[ilI.,;:'|!]/.test(ch) ? 0.28 : /[mwMW]/.test(ch) ? 0.83 : /[A-Z]/.test(ch) ? 0.67 : 0.55), 0) * size;


class Page {
  readonly ops: string[] = [];
  text(x: number, y: number, s: string, size = 10, bold = false): void {
    this.ops.push(`BT /${bold ? "F2" : "F1"} ${size} Tf ${x.toFixed(1)} ${y.toFixed(1)} Td ${pdfString(s)} Tj ET`);
  }
  line(x1: number, y1: number, x2: number, y2: number): void {
    this.ops.push(`${x1.toFixed(1)} ${y1.toFixed(1)} m ${x2.toFixed(1)} ${y2.toFixed(1)} l S`);
  }
  rect(x: number, y: number, w: number, h: number, grey: number): void {
    this.ops.push(`${grey} g ${x.toFixed(1)} ${y.toFixed(1)} ${w.toFixed(1)} ${h.toFixed(1)} re f 0 g`);
  }
}

function wrap(text: string, size: number, max: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (let word of text.split(" ")) {
    // A word wider than the column is broken where it must be.
    while (width(word, size) > max && word.length > 1) {
      let cut = word.length - 1;
      while (cut > 1 && width(word.slice(0, cut) + "-", size) > max) cut--;
      if (line !== "") lines.push(line);
      lines.push(word.slice(0, cut) + "-");
      line = "";
      word = word.slice(cut);
    }
    const next = line === "" ? word : `${line} ${word}`;
    if (width(next, size) > max && line !== "") {
      lines.push(line);
      line = word;
    } else line = next;
  }
  return line === "" ? lines : [...lines, line];
}

const MONTHS = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"];

/** "2026-11-23T08:54:00+01:00" (Rome, as the document stores it) as "23 novembre 2026, 08:54". */
export function italianDateTime(romeIso: string): string {
  const [, y, m, d, hm] = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2})/.exec(romeIso)!;
  return `${Number(d)} ${MONTHS[Number(m) - 1]} ${y}, ${hm}`;
}

function cover(doc: ReportDocument, checksum: string): Page {
  const p = new Page();
  let y = H - 160;
  p.text(MARGIN, H - 90, "Termini", 12, true);
  for (const l of wrap(doc.title, 20, W - 2 * MARGIN)) {
    p.text(MARGIN, y, l, 20, true);
    y -= 26;
  }
  y -= 10;
  const facts: [string, string][] = [
    ["Periodo", doc.periodLabel],
    ["Ambito", doc.scope === "IT" ? "Italia" : doc.scope],
    [doc.provisional ? "Dati provvisori al" : "Dati aggiornati al", `${italianDateTime(doc.snapshotAt)} (ora italiana)`],
    ["Impronta SHA-256", checksum.slice(0, 32)],
    ["", checksum.slice(32)],
  ];
  for (const [k, v] of facts) {
    p.text(MARGIN, y, k, 11, true);
    p.text(MARGIN + 130, y, v, 11);
    y -= 18;
  }
  if (doc.provisional) {
    y -= 8;
    for (const l of wrap("DATI PROVVISORI: alla data dei dati il periodo non era concluso. I valori possono ancora cambiare; la relazione si trasmette con i dati definitivi, dopo la fine del periodo.", 11, W - 2 * MARGIN)) {
      p.text(MARGIN, y, l, 11, true);
      y -= 15;
    }
  }
  y -= 20;
  for (const n of doc.notes) {
    for (const l of wrap(n, 9, W - 2 * MARGIN)) {
      p.text(MARGIN, y, l, 9);
      y -= 12;
    }
    y -= 4;
  }
  return p;
}

/** The tables one after another, over as many pages as they need, each header repeated on a new page. */
function tablePages(tables: readonly Table[]): Page[] {
  const pages: Page[] = [];
  const size = 8;
  const usable = W - 2 * MARGIN;
  let page = new Page();
  pages.push(page);
  let y = H - MARGIN;
  const newPage = () => {
    page = new Page();
    pages.push(page);
    y = H - MARGIN;
  };
  for (const t of tables) {
    // Columns as wide as their content needs (labels may wrap, cells may not), scaled to the page.
    const natural = t.columns.map((c) => Math.min(220, Math.max(
      ...c.label.split(" ").map((w) => width(w, 7)), ...t.rows.map((r) => width(String(r[c.key] ?? ""), size)), 20,
    ) + 8));
    // The first column (names) gives way first, so that headings are not broken mid-word.
    const rest = natural.slice(1).reduce((a, b) => a + b, 0);
    const total = natural.reduce((a, b) => a + b, 0);
    const widths = usable - rest >= 110
      ? natural.map((w, i) => (i === 0 ? usable - rest : w))
      : natural.map((w) => (w * usable) / total);
    const xs = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const labels = t.columns.map((c, i) => wrap(c.label, 7, widths[i]! - 4));
    const headerHeight = Math.max(...labels.map((l) => l.length)) * 8 + 6;
    const header = (title: string) => {
      y -= 20;
      page.text(MARGIN, y, title, 13, true);
      y -= 10 + headerHeight;
      page.rect(MARGIN, y, usable, headerHeight, 0.9);
      labels.forEach((ls, i) => ls.forEach((l, k) => page.text(xs[i]! + 2, y + headerHeight - 9 - k * 8, l, 7, true)));
    };
    // A table starts on a new page unless its title, header and a few rows fit here.
    if (y - (40 + headerHeight + 3 * 13) < MARGIN + 30) newPage();
    header(t.title);
    if (t.rows.length === 0) {
      y -= 14;
      page.text(MARGIN, y, "Nessun dato per il periodo.", 9);
    }
    for (const r of t.rows) {
      // Long office names wrap onto more lines rather than being cut: the row grows to fit.
      const cells = t.columns.map((c, i) => wrap(String(r[c.key] ?? ""), size, widths[i]! - 4));
      const height = Math.max(1, ...cells.map((l) => l.length)) * 10 + 3;
      if (y - height < MARGIN + 30) {
        newPage();
        header(`${t.title} (segue)`);
      }
      y -= height;
      cells.forEach((lines, i) => lines.forEach((l, k) => page.text(xs[i]! + 2, y + height - 10 - k * 10, l, size)));
      page.line(MARGIN, y - 1, MARGIN + usable, y - 1);
    }
    y -= 16;
  }
  return pages;
}

const numeric = (c: Cell): number => (typeof c === "number" ? c : 0);

/** A round step for the scale: 1, 2 or 5 times a power of ten, giving about four lines. */
export function scaleStep(top: number): number {
  const rough = Math.max(1, top / 4);
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((k) => k * power).find((s) => s >= rough)!;
}

function chart(doc: ReportDocument): Page {
  const p = new Page();
  p.text(MARGIN, H - MARGIN - 20, "Volumi mensili", 13, true);
  const series = [
    { label: "Programmi avviati", grey: 0.35, cells: doc.monthly.map((m) => m.programmes) },
    { label: "Termini art. 362-bis conclusi", grey: 0.7, cells: doc.monthly.map((m) => m.deadlines) },
  ].map((s) => ({ ...s, values: s.cells.map(numeric) }));
  const month = (m: string) => MONTHS[Number(m.slice(5)) - 1]!;
  // Months without a bar because their count is not published: named, so that no bar reads as zero.
  const unpublished = series.map((s) => ({ label: s.label, months: doc.monthly.filter((_, i) => typeof s.cells[i] === "string").map((m) => month(m.month)) }));
  const explain = (y: number) => {
    for (const u of unpublished.filter((x) => x.months.length > 0)) {
      for (const l of wrap(`${u.label}: senza barra ${u.months.join(", ")}, perché il valore è «<5» o «riservato» (vedi le note in copertina).`, 9, W - 2 * MARGIN)) {
        p.text(MARGIN, y, l, 9);
        y -= 12;
      }
    }
  };
  if (series.every((s) => s.values.every((v) => v === 0))) {
    const none = unpublished.every((u) => u.months.length === 0);
    const lines = wrap(none
      ? `Nessun programma avviato e nessun termine dell'art. 362-bis concluso nel periodo (${doc.periodLabel}): il grafico non ha barre da mostrare.`
      : "Il grafico non è disegnato: nessun volume mensile del periodo si può pubblicare, perché ognuno è zero, «<5» o «riservato».", 10, W - 2 * MARGIN);
    lines.forEach((l, i) => p.text(MARGIN, H - MARGIN - 50 - i * 14, l, 10));
    explain(H - MARGIN - 60 - lines.length * 14);
    return p;
  }
  const highest = Math.max(1, ...series.flatMap((s) => s.values));
  const step = scaleStep(highest);
  const top = step * Math.ceil(highest / step);
  const base = H / 2;
  const height = 260;
  const left = MARGIN + 30; // room for the scale's numbers
  const slot = (W - MARGIN - left) / doc.monthly.length;
  const bar = Math.min(14, slot / 2 - 2);
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
  explain(base - 96);
  return p;
}

export function reportPdf(doc: ReportDocument, checksum: string): Uint8Array {
  const pages = [cover(doc, checksum), ...tablePages(doc.tables), chart(doc)];
  pages.forEach((p, i) => p.text(W / 2 - 30, 25, `Pagina ${i + 1} di ${pages.length}`, 8));
  const objects: string[] = [];
  const add = (body: string) => objects.push(body) - 1 + 1;
  const catalog = add("<< /Type /Catalog /Pages 2 0 R >>");
  const pagesId = add("");
  const f1 = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  const f2 = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
  const kids: number[] = [];
  for (const p of pages) {
    const stream = p.ops.join("\n");
    const content = add(`<< /Length ${new TextEncoder().encode(stream).length} >>\nstream\n${stream}\nendstream`);
    kids.push(add(`<< /Type /Page /Parent ${pagesId} 0 R /MediaBox [0 0 ${W} ${H}] /Resources << /Font << /F1 ${f1} 0 R /F2 ${f2} 0 R >> >> /Contents ${content} 0 R >>`));
  }
  objects[pagesId - 1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(" ")}] /Count ${kids.length} >>`;
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info << /Title ${pdfString(doc.title)} /Producer (Termini) >> >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}
