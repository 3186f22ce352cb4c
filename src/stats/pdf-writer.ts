/**
 * A small tagged-PDF writer (PDF 1.7, PDF/UA-1): what the report needs and
 * nothing else. Text is set in embedded TrueType fonts (Type 0, Identity-H,
 * with a ToUnicode map, so every glyph reads back as its character); every
 * mark on a page is either marked content owned by an element of the
 * structure tree (headings, paragraphs, tables with header cells, figures
 * with alternative text) or an artifact (page numbers, rules, shading). The
 * catalogue declares the language, the marked status, the title to show,
 * and XMP metadata with the PDF/UA identifier.
 */
import { zlibSync } from "fflate";
import type { TrueType } from "./ttf.js";

export interface PdfFonts { regular: TrueType; bold: TrueType }
export interface PdfMeta { title: string; lang: string; subject?: string; producer: string }

export type Role = "Document" | "H1" | "H2" | "P" | "Table" | "THead" | "TBody" | "TR" | "TH" | "TD" | "Figure" | "L" | "LI" | "LBody" | "Caption";
interface Mcr { page: Page; mcid: number }

export class StructElem {
  readonly kids: (StructElem | Mcr)[] = [];
  constructor(readonly role: Role, readonly opts: { alt?: string; scope?: "Row" | "Column"; colSpan?: number } = {}) {}
  add(role: Role, opts: StructElem["opts"] = {}): StructElem {
    const e = new StructElem(role, opts);
    this.kids.push(e);
    return e;
  }
}

const n = (x: number) => (Math.round(x * 100) / 100).toString();

export class Page {
  readonly ops: string[] = [];
  /** Marked-content id → the element that owns it. */
  readonly owners: StructElem[] = [];
  private open: "tag" | "artifact" | undefined;
  constructor(private readonly doc: PdfDoc) {}

  /** What `draw` puts on the page is content of `elem`. */
  tagged(elem: StructElem, draw: () => void): void {
    const mcid = this.owners.push(elem) - 1;
    elem.kids.push({ page: this, mcid });
    this.wrap(`/${elem.role} <</MCID ${mcid}>> BDC`, "tag", draw);
  }

  /** What `draw` puts on the page is not content: layout or pagination. */
  artifact(draw: () => void, type: "Layout" | "Pagination" = "Layout"): void {
    this.wrap(`/Artifact <</Type /${type}>> BDC`, "artifact", draw);
  }

  private wrap(begin: string, kind: "tag" | "artifact", draw: () => void): void {
    if (this.open !== undefined) throw new Error("pdf: marked content cannot nest here");
    this.ops.push(begin);
    this.open = kind;
    draw();
    this.open = undefined;
    this.ops.push("EMC");
  }

  private mark(): void {
    if (this.open === undefined) throw new Error("pdf: a mark outside the structure and not an artifact");
  }

  text(x: number, y: number, s: string, size = 10, bold = false): void {
    this.mark();
    this.ops.push(`BT /${bold ? "F2" : "F1"} ${size} Tf ${n(x)} ${n(y)} Td <${this.doc.encode(s, bold)}> Tj ET`);
  }
  line(x1: number, y1: number, x2: number, y2: number): void {
    this.mark();
    this.ops.push(`${n(x1)} ${n(y1)} m ${n(x2)} ${n(y2)} l S`);
  }
  rect(x: number, y: number, w: number, h: number, grey: number): void {
    this.mark();
    this.ops.push(`${grey} g ${n(x)} ${n(y)} ${n(w)} ${n(h)} re f 0 g`);
  }
}

/** A PDF text string: ASCII as a literal, anything else as UTF-16BE with its byte-order mark. */
function pdfText(s: string): string {
  if (/^[\x20-\x7e]*$/.test(s)) return `(${s.replace(/[()\\]/g, (c) => `\\${c}`)})`;
  let hex = "FEFF";
  for (let i = 0; i < s.length; i++) hex += s.charCodeAt(i).toString(16).padStart(4, "0").toUpperCase();
  return `<${hex}>`;
}

const xml = (s: string) => s.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c]!);

/** The font file compressed once per font, not once per document. */
const packed = new WeakMap<TrueType, Uint8Array>();

export class PdfDoc {
  readonly root = new StructElem("Document");
  readonly pages: Page[] = [];
  private readonly used = [new Map<number, number>(), new Map<number, number>()];
  constructor(private readonly fonts: PdfFonts, private readonly meta: PdfMeta, readonly width = 595, readonly height = 842) {}

  newPage(): Page {
    const p = new Page(this);
    this.pages.push(p);
    return p;
  }

  private font(bold: boolean): TrueType {
    return bold ? this.fonts.bold : this.fonts.regular;
  }

  /** The glyph of a character: a character the font lacks is drawn as "?" rather than as the missing glyph. */
  private glyph(f: TrueType, cp: number): [number, number] {
    const g = f.glyphs.get(cp);
    return g === undefined ? [f.glyphs.get(0x3f)!, 0x3f] : [g, cp];
  }

  /** Advance of a text, in points. */
  measure(s: string, size: number, bold = false): number {
    const f = this.font(bold);
    let w = 0;
    for (const ch of s) w += f.advances[this.glyph(f, ch.codePointAt(0)!)[0]]!;
    return (w / f.unitsPerEm) * size;
  }

  /** Glyph ids as hex, each glyph remembered with the character it stands for (the ToUnicode map). */
  encode(s: string, bold: boolean): string {
    const f = this.font(bold);
    const used = this.used[bold ? 1 : 0]!;
    let hex = "";
    for (const ch of s) {
      const [g, cp] = this.glyph(f, ch.codePointAt(0)!);
      used.set(g, cp);
      hex += g.toString(16).padStart(4, "0");
    }
    return hex;
  }

  bytes(): Uint8Array {
    const enc = new TextEncoder();
    const objects: (string | { dict: string; data: Uint8Array })[] = [];
    const reserve = () => objects.push("") ;
    const set = (id: number, body: string | { dict: string; data: Uint8Array }) => { objects[id - 1] = body; };
    const add = (body: string | { dict: string; data: Uint8Array }) => objects.push(body);
    const stream = (dict: string, data: Uint8Array) => ({ dict: `<< ${dict} /Length ${data.length} >>`, data });

    const catalog = reserve();
    const pagesId = reserve();
    const fontIds = ([false, true] as const).map((bold) => this.fontObjects(bold, add, stream, enc));
    const pageIds = this.pages.map(() => reserve());
    // The structure tree: each element an object, its marked content referenced by page and id.
    const elemIds = new Map<StructElem, number>();
    const walk = (e: StructElem) => { elemIds.set(e, reserve()); e.kids.forEach((k) => k instanceof StructElem && walk(k)); };
    walk(this.root);
    const treeRoot = reserve();
    const write = (e: StructElem, parent: number) => {
      const kids = e.kids.map((k) => (k instanceof StructElem ? `${elemIds.get(k)} 0 R` : `<< /Type /MCR /Pg ${pageIds[this.pages.indexOf(k.page)]} 0 R /MCID ${k.mcid} >>`));
      const table = [e.opts.scope === undefined ? "" : ` /Scope /${e.opts.scope}`, e.opts.colSpan === undefined ? "" : ` /ColSpan ${e.opts.colSpan}`].join("");
      const attrs = table === "" ? "" : ` /A << /O /Table${table} >>`;
      const alt = e.opts.alt === undefined ? "" : ` /Alt ${pdfText(e.opts.alt)}`;
      set(elemIds.get(e)!, `<< /Type /StructElem /S /${e.role} /P ${parent} 0 R /K [${kids.join(" ")}]${attrs}${alt} >>`);
      e.kids.forEach((k) => k instanceof StructElem && write(k, elemIds.get(e)!));
    };
    write(this.root, treeRoot);
    const parentTree = add(`<< /Nums [${this.pages.map((p, i) => `${i} [${p.owners.map((o) => `${elemIds.get(o)} 0 R`).join(" ")}]`).join(" ")}] >>`);
    set(treeRoot, `<< /Type /StructTreeRoot /K [${elemIds.get(this.root)} 0 R] /ParentTree ${parentTree} 0 R /ParentTreeNextKey ${this.pages.length} >>`);
    this.pages.forEach((p, i) => {
      const content = add(stream("", enc.encode(p.ops.join("\n"))));
      set(pageIds[i]!, `<< /Type /Page /Parent ${pagesId} 0 R /MediaBox [0 0 ${this.width} ${this.height}] /Resources << /Font << /F1 ${fontIds[0]} 0 R /F2 ${fontIds[1]} 0 R >> >> /Contents ${content} 0 R /StructParents ${i} /Tabs /S >>`);
    });
    set(pagesId, `<< /Type /Pages /Kids [${pageIds.map((k) => `${k} 0 R`).join(" ")}] /Count ${pageIds.length} >>`);
    const metadata = add(stream("/Type /Metadata /Subtype /XML", enc.encode(this.xmp())));
    set(catalog, `<< /Type /Catalog /Pages ${pagesId} 0 R /Lang ${pdfText(this.meta.lang)} /MarkInfo << /Marked true >> /StructTreeRoot ${treeRoot} 0 R`
      + ` /ViewerPreferences << /DisplayDocTitle true >> /Metadata ${metadata} 0 R >>`);
    const info = add(`<< /Title ${pdfText(this.meta.title)} /Producer ${pdfText(this.meta.producer)}${this.meta.subject ? ` /Subject ${pdfText(this.meta.subject)}` : ""} >>`);

    // A binary comment after the header tells transfer tools the file is binary.
    const chunks: Uint8Array[] = [enc.encode("%PDF-1.7\n"), new Uint8Array([0x25, 0xe2, 0xe3, 0xcf, 0xd3, 0x0a])];
    let size = chunks.reduce((s, c) => s + c.length, 0);
    const offsets: number[] = [];
    const push = (c: Uint8Array) => { chunks.push(c); size += c.length; };
    objects.forEach((body, i) => {
      offsets.push(size);
      if (typeof body === "string") push(enc.encode(`${i + 1} 0 obj\n${body}\nendobj\n`));
      else {
        push(enc.encode(`${i + 1} 0 obj\n${body.dict}\nstream\n`));
        push(body.data);
        push(enc.encode("\nendstream\nendobj\n"));
      }
    });
    const xref = size;
    push(enc.encode(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`));
    push(enc.encode(`trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${info} 0 R >>\nstartxref\n${xref}\n%%EOF\n`));
    const out = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) { out.set(c, at); at += c.length; }
    return out;
  }

  /** Type 0 font over a CIDFontType2 (the TrueType file, whole), widths and ToUnicode for the glyphs used. */
  private fontObjects(bold: boolean, add: (b: string | { dict: string; data: Uint8Array }) => number,
    stream: (dict: string, data: Uint8Array) => { dict: string; data: Uint8Array }, enc: TextEncoder): number {
    const f = this.font(bold);
    const name = bold ? "TitilliumWeb-Bold" : "TitilliumWeb-Regular";
    const scale = (x: number) => Math.round((x * 1000) / f.unitsPerEm);
    let file = packed.get(f);
    if (file === undefined) packed.set(f, (file = zlibSync(f.bytes, { level: 6 })));
    const fontFile = add(stream(`/Filter /FlateDecode /Length1 ${f.bytes.length}`, file));
    const descriptor = add(`<< /Type /FontDescriptor /FontName /${name} /Flags 32 /FontBBox [${f.bbox.map(scale).join(" ")}] /ItalicAngle ${f.italicAngle}`
      + ` /Ascent ${scale(f.ascent)} /Descent ${scale(f.descent)} /CapHeight ${scale(f.capHeight)} /StemV ${bold ? 140 : 80} /FontFile2 ${fontFile} 0 R >>`);
    const used = [...this.used[bold ? 1 : 0]!].sort((a, b) => a[0] - b[0]);
    const widths = used.map(([g]) => `${g} [${scale(f.advances[g]!)}]`).join(" ");
    const cid = add(`<< /Type /Font /Subtype /CIDFontType2 /BaseFont /${name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>`
      + ` /FontDescriptor ${descriptor} 0 R /W [${widths}] /DW 0 /CIDToGIDMap /Identity >>`);
    const utf16 = (cp: number) => String.fromCodePoint(cp).split("").map((u) => u.charCodeAt(0).toString(16).padStart(4, "0")).join("").toUpperCase();
    const lines: string[] = [];
    for (let i = 0; i < used.length; i += 100) {
      const part = used.slice(i, i + 100);
      lines.push(`${part.length} beginbfchar`, ...part.map(([g, cp]) => `<${g.toString(16).padStart(4, "0").toUpperCase()}> <${utf16(cp)}>`), "endbfchar");
    }
    const cmap = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def", "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
      "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange", ...lines, "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"].join("\n");
    const toUnicode = add(stream("", enc.encode(cmap)));
    return add(`<< /Type /Font /Subtype /Type0 /BaseFont /${name} /Encoding /Identity-H /DescendantFonts [${cid} 0 R] /ToUnicode ${toUnicode} 0 R >>`);
  }

  private xmp(): string {
    const { title, lang, producer } = this.meta;
    return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(title)}</rdf:li></rdf:Alt></dc:title>
<dc:language><rdf:Bag><rdf:li>${xml(lang)}</rdf:li></rdf:Bag></dc:language>
<pdf:Producer>${xml(producer)}</pdf:Producer>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
  }
}
