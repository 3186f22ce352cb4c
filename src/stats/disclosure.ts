/**
 * Statistical disclosure control for the published counts, as statistical
 * offices do it. Pure.
 *
 * Primary suppression: a count from 1 to 4 is shown as "<5". Secondary
 * (complementary) suppression: wherever the published figures would let a
 * reader work a "<5" back to its value — from a total, a row, a column, the
 * monthly series, or the difference between two reports of the same period —
 * another count is hidden ("riservato") until none can be.
 *
 * The relations between published counts are given as equations (Σ plus =
 * Σ minus): a region's row is the sum of its offices' rows, the months add up
 * to the year. A "<5" is exposed when those equations pin it down: when it is
 * a linear combination of published counts alone, or when the bounds every
 * hidden count is known to respect (1–4 for "<5", at least 0 for "riservato")
 * leave it a single possible value.
 */

export const SMALL = 5;
export type Visibility = "shown" | "small" | "hidden";
export interface Equation { readonly plus: readonly string[]; readonly minus: readonly string[] }

const EPS = 1e-9;
type Row = { coef: Map<string, number>; rhs: number; lead?: string };

/** Each equation over the hidden counts only: the published ones move to the right-hand side. */
function hiddenRows(values: ReadonlyMap<string, number>, seen: ReadonlyMap<string, Visibility>, equations: readonly Equation[]): Row[] {
  const rows: Row[] = [];
  for (const e of equations) {
    const row: Row = { coef: new Map(), rhs: 0 };
    const add = (id: string, sign: number) => {
      const v = values.get(id);
      if (v === undefined) throw new Error(`disclosure: equation on an unknown count ${id}`);
      if (seen.get(id) === "shown") row.rhs -= sign * v;
      else row.coef.set(id, (row.coef.get(id) ?? 0) + sign);
    };
    e.plus.forEach((id) => add(id, 1));
    e.minus.forEach((id) => add(id, -1));
    for (const [k, c] of row.coef) if (Math.abs(c) < EPS) row.coef.delete(k);
    if (row.coef.size > 0) rows.push(row);
  }
  return rows;
}

/**
 * Gauss–Jordan elimination, sparse: the reduced rows. A count is determined when one of them names
 * it alone. Each count is eliminated through the shortest row that holds it, counts held by the
 * fewest rows first (Markowitz's rule), touching only the rows that hold it: the sums of a
 * hierarchy of tables then stay sparse.
 */
function reduce(rows: readonly Row[]): Row[] {
  const live = new Set<Row>(rows.map((r) => ({ coef: new Map(r.coef), rhs: r.rhs })));
  const holding = new Map<string, Set<Row>>();
  for (const r of live) for (const k of r.coef.keys()) (holding.get(k) ?? holding.set(k, new Set()).get(k)!).add(r);
  const pivots: Row[] = [];
  const order = [...holding.keys()].sort((x, y) => holding.get(x)!.size - holding.get(y)!.size || (x < y ? -1 : 1));
  for (const v of order) {
    const candidates = [...(holding.get(v) ?? [])].filter((r) => live.has(r));
    if (candidates.length === 0) continue;
    const pivot = candidates.reduce((best, r) => (r.coef.size < best.coef.size ? r : best));
    const c = pivot.coef.get(v)!;
    for (const [k, x] of pivot.coef) pivot.coef.set(k, x / c);
    pivot.rhs /= c;
    pivot.lead = v;
    live.delete(pivot);
    // v leaves every other row, pivots found before included (the reduced form).
    for (const r of [...holding.get(v)!]) {
      if (r === pivot) continue;
      const f = r.coef.get(v);
      if (f === undefined) continue;
      for (const [k, x] of pivot.coef) {
        const next = (r.coef.get(k) ?? 0) - f * x;
        if (Math.abs(next) < EPS) {
          r.coef.delete(k);
          holding.get(k)?.delete(r);
        } else {
          if (!r.coef.has(k)) (holding.get(k) ?? holding.set(k, new Set()).get(k)!).add(r);
          r.coef.set(k, next);
        }
      }
      r.rhs -= f * pivot.rhs;
    }
    pivots.push(pivot);
  }
  return pivots;
}

/**
 * The bounds each hidden count can take, narrowed by every row until nothing changes (or for a
 * bounded number of rounds: the narrowing of a bound by a fraction each round converges only in
 * the limit). Each row is read in one pass: the others' extremes are the row's less one's own.
 */
function bounds(rows: readonly Row[], seen: ReadonlyMap<string, Visibility>): Map<string, [number, number]> {
  const b = new Map<string, [number, number]>();
  for (const r of rows) for (const id of r.coef.keys()) b.set(id, seen.get(id) === "small" ? [1, SMALL - 1] : [0, Infinity]);
  for (let round = 0, changed = true; changed && round < 12; round++) {
    changed = false;
    for (const r of rows) {
      // Σ a·x at its greatest and least, the unbounded terms counted apart.
      let max = 0, min = 0, maxInf = 0, minInf = 0;
      const terms: [string, number, number, number][] = [];
      for (const [id, a] of r.coef) {
        const [l, h] = b.get(id)!;
        const hi = a > 0 ? a * h : a * l;
        const lo = a > 0 ? a * l : a * h;
        if (hi === Infinity) maxInf++; else max += hi;
        if (lo === -Infinity) minInf++; else min += lo;
        terms.push([id, a, hi, lo]);
      }
      for (const [id, a, hi, lo] of terms) {
        // a·x = rhs − Σ others: the others' extremes bound x.
        const othersMax = maxInf - (hi === Infinity ? 1 : 0) > 0 ? Infinity : max - (hi === Infinity ? 0 : hi);
        const othersMin = minInf - (lo === -Infinity ? 1 : 0) > 0 ? -Infinity : min - (lo === -Infinity ? 0 : lo);
        const [from, to] = [r.rhs - othersMax, r.rhs - othersMin];
        const [nl, nh] = a > 0 ? [from / a, to / a] : [to / a, from / a];
        const cur = b.get(id)!;
        const next: [number, number] = [Math.max(cur[0], nl), Math.min(cur[1], nh)];
        if (next[0] > cur[0] + EPS || next[1] < cur[1] - EPS) {
          b.set(id, next);
          changed = true;
        }
      }
    }
  }
  return b;
}


/** Every "<5" these rows pin down, sorted. */
/** A count from 1 to 4 not shown, whether as "<5" or hidden: what must not be worked back. */
const sensitive = (values: ReadonlyMap<string, number>, seen: ReadonlyMap<string, Visibility>, id: string) =>
  seen.get(id) !== "shown" && values.get(id)! > 0 && values.get(id)! < SMALL;

function exposedIn(rows: readonly Row[], seen: ReadonlyMap<string, Visibility>, values: ReadonlyMap<string, number>): string[] {
  const reduced = reduce(rows);
  const out = new Set<string>();
  for (const r of reduced) if (r.coef.size === 1 && sensitive(values, seen, r.lead!)) out.add(r.lead!);
  // A "<5" whose possible values narrow to less than two integers is as good as published.
  const b = bounds([...rows, ...reduced], seen);
  for (const [id, [lo, hi]] of b) if (sensitive(values, seen, id) && Math.floor(hi + EPS) - Math.ceil(lo - EPS) < 1) out.add(id);
  return [...out].sort();
}


/**
 * Which counts are shown, which are "<5" and which are hidden to protect them. Counts in `fixed`
 * keep their visibility (published before, or never published): only the others may be hidden.
 */
export function protect(values: ReadonlyMap<string, number>, equations: readonly Equation[], fixed: ReadonlyMap<string, Visibility> = new Map()): Map<string, Visibility> {
  const seen = new Map<string, Visibility>();
  for (const [id, v] of values) seen.set(id, fixed.get(id) ?? (v > 0 && v < SMALL ? "small" : "shown"));
  const byCell = new Map<string, Equation[]>();
  for (const e of equations) {
    for (const c of new Set([...e.plus, ...e.minus])) {
      if (!values.has(c)) throw new Error(`disclosure: equation on an unknown count ${c}`);
      const list = byCell.get(c);
      if (list === undefined) byCell.set(c, [e]);
      else list.push(e);
    }
  }
  // Counts not shown whose problem (the equations they are linked by) has not been found safe yet.
  const pending = new Set([...seen].filter(([, v]) => v !== "shown").map(([id]) => id));
  for (;;) {
    let id: string | undefined;
    while (id === undefined && pending.size > 0) {
      const seed = pending.values().next().value!;
      const rows = hiddenRows(values, seen, reachable(seed, byCell, seen));
      pending.delete(seed);
      for (const r of rows) for (const x of r.coef.keys()) pending.delete(x);
      id = exposedIn(rows, seen, values)[0];
    }
    if (id === undefined) return seen;
    // Hide a count near it: the first, in order of distance (itself, its own equations, then
    // further out) and of cost (a "<5" written "riservato" loses the least, then the smallest
    // published count), that leaves it no longer pinned down; when none does alone, the nearest
    // cheapest, and again. Counts fixed by an earlier report stay as they were published.
    const cost = (c: string) => (seen.get(c) === "small" ? 0 : rank(values, c));
    const candidates = nearby(id, byCell, seen, fixed).sort((a, b) => a.depth - b.depth || cost(a.id) - cost(b.id) || (a.id < b.id ? -1 : 1));
    if (candidates.length === 0) throw new Error(`disclosure: ${id} cannot be protected`);
    const exposedId = id;
    const pinned = () => exposedIn(hiddenRows(values, seen, reachable(exposedId, byCell, seen)), seen, values).includes(exposedId);
    const fix = candidates.slice(0, TRIES).find(({ id: c }) => {
      const was = seen.get(c)!;
      seen.set(c, "hidden");
      const works = !pinned();
      seen.set(c, was);
      return works;
    }) ?? candidates[0]!;
    seen.set(fix.id, "hidden");
    // Its problem, now joined with the hidden count's, is looked at again.
    pending.add(id).add(fix.id);
  }
}

/** How many counts are tried, one by one, before the nearest cheapest is hidden anyway. */
const TRIES = 6;

/**
 * Counts not yet hidden, and not fixed, linked to `id` (itself included), with their distance in
 * equations: the nearest three steps, or further until there is one.
 */
function nearby(id: string, byCell: ReadonlyMap<string, readonly Equation[]>, seen: ReadonlyMap<string, Visibility>, fixed: ReadonlyMap<string, Visibility>): { id: string; depth: number }[] {
  const free = (x: string) => seen.get(x) !== "hidden" && !fixed.has(x);
  const out = new Map<string, number>(free(id) ? [[id, 0]] : []);
  let frontier = new Set([id]);
  const visited = new Set([id]);
  for (let depth = 1; frontier.size > 0 && (depth <= 3 || out.size === 0); depth++) {
    const next = new Set<string>();
    for (const c of frontier) for (const e of byCell.get(c) ?? []) for (const x of [...e.plus, ...e.minus]) {
      if (visited.has(x)) continue;
      visited.add(x);
      next.add(x);
      // A "<5" can be hidden too: written "riservato", it no longer tells a reader it is below 5.
      if (free(x)) out.set(x, depth);
    }
    frontier = next;
  }
  return [...out].map(([x, depth]) => ({ id: x, depth }));
}

/** The equations linked to `id` through counts that are not shown: all that can pin it down. */
function reachable(id: string, byCell: ReadonlyMap<string, readonly Equation[]>, seen: ReadonlyMap<string, Visibility>): Equation[] {
  const eqs = new Set<Equation>();
  const todo = [id];
  const visited = new Set(todo);
  while (todo.length > 0) {
    for (const e of byCell.get(todo.pop()!) ?? []) {
      if (eqs.has(e)) continue;
      eqs.add(e);
      for (const x of [...e.plus, ...e.minus]) if (seen.get(x) !== "shown" && !visited.has(x)) { visited.add(x); todo.push(x); }
    }
  }
  return [...eqs];
}

/** Zeros last: hiding a zero protects as well, but a reader loses more by a hidden zero than a hidden count. */
const rank = (values: ReadonlyMap<string, number>, id: string) => (values.get(id) === 0 ? Number.MAX_SAFE_INTEGER : values.get(id)!);
