/**
 * What the PDF writer needs from a TrueType font: which glyph draws each
 * character (cmap formats 4 and 12), how wide each glyph is (hmtx), and the
 * metrics a font descriptor declares. Pure; the font file is embedded whole.
 */

export interface TrueType {
  bytes: Uint8Array;
  unitsPerEm: number;
  ascent: number;
  descent: number;
  capHeight: number;
  bbox: [number, number, number, number];
  italicAngle: number;
  /** Unicode code point → glyph id (0, the missing glyph, is never listed). */
  glyphs: Map<number, number>;
  /** Glyph id → advance width, in font units. */
  advances: number[];
}

export function parseTrueType(bytes: Uint8Array): TrueType {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = new Map<string, number>();
  for (let i = 0, n = v.getUint16(4); i < n; i++) {
    const at = 12 + 16 * i;
    tables.set(String.fromCharCode(...bytes.subarray(at, at + 4)), v.getUint32(at + 8));
  }
  const table = (tag: string) => {
    const at = tables.get(tag);
    if (at === undefined) throw new Error(`font: no ${tag} table`);
    return at;
  };
  const head = table("head");
  const hhea = table("hhea");
  const os2 = table("OS/2");
  const post = table("post");
  const glyphCount = v.getUint16(table("maxp") + 4);
  const metrics = v.getUint16(hhea + 34);
  const hmtx = table("hmtx");
  const advances = Array.from({ length: glyphCount }, (_, g) => v.getUint16(hmtx + 4 * Math.min(g, metrics - 1)));
  return {
    bytes,
    unitsPerEm: v.getUint16(head + 18),
    bbox: [v.getInt16(head + 36), v.getInt16(head + 38), v.getInt16(head + 40), v.getInt16(head + 42)],
    ascent: v.getInt16(hhea + 4),
    descent: v.getInt16(hhea + 6),
    // OS/2 version 2 and later carry the capital height; before, the ascent stands for it.
    capHeight: v.getUint16(os2) >= 2 ? v.getInt16(os2 + 88) : v.getInt16(hhea + 4),
    italicAngle: v.getInt32(post + 4) / 65536,
    glyphs: cmap(v, table("cmap")),
    advances,
  };
}

/** The Unicode subtable (platform 3 encoding 10 or 1, or platform 0), format 12 or 4. */
function cmap(v: DataView, at: number): Map<number, number> {
  const out = new Map<number, number>();
  const subtables = Array.from({ length: v.getUint16(at + 2) }, (_, i) => ({
    platform: v.getUint16(at + 4 + 8 * i), encoding: v.getUint16(at + 6 + 8 * i), offset: at + v.getUint32(at + 8 + 8 * i),
  })).filter((s) => s.platform === 0 || (s.platform === 3 && (s.encoding === 1 || s.encoding === 10)));
  const best = subtables.find((s) => v.getUint16(s.offset) === 12) ?? subtables.find((s) => v.getUint16(s.offset) === 4);
  if (best === undefined) throw new Error("font: no Unicode cmap");
  const s = best.offset;
  if (v.getUint16(s) === 12) {
    for (let i = 0, n = v.getUint32(s + 12); i < n; i++) {
      const [start, end, glyph] = [v.getUint32(s + 16 + 12 * i), v.getUint32(s + 20 + 12 * i), v.getUint32(s + 24 + 12 * i)];
      for (let c = start; c <= end; c++) if (glyph + c - start !== 0) out.set(c, glyph + c - start);
    }
    return out;
  }
  const segments = v.getUint16(s + 6) / 2;
  const ends = s + 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const ranges = deltas + 2 * segments;
  for (let i = 0; i < segments; i++) {
    const [end, start, delta, range] = [v.getUint16(ends + 2 * i), v.getUint16(starts + 2 * i), v.getInt16(deltas + 2 * i), v.getUint16(ranges + 2 * i)];
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let g: number;
      if (range === 0) g = (c + delta) & 0xffff;
      else {
        g = v.getUint16(ranges + 2 * i + range + 2 * (c - start));
        if (g !== 0) g = (g + delta) & 0xffff;
      }
      if (g !== 0) out.set(c, g);
    }
  }
  return out;
}
