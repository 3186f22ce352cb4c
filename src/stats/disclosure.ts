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

/** Gauss–Jordan elimination: the reduced rows. A count is determined when one of them names it alone. */
function reduce(rows: readonly Row[]): Row[] {
  const out: Row[] = rows.map((r) => ({ coef: new Map(r.coef), rhs: r.rhs }));
  const pivots: Row[] = [];
  for (const r of out) {
    for (const p of pivots) eliminate(r, p);
    const lead = r.coef.keys().next().value;
    if (lead === undefined) continue;
    const c = r.coef.get(lead)!;
    for (const [k, v] of r.coef) r.coef.set(k, v / c);
    r.rhs /= c;
    r.lead = lead;
    for (const p of pivots) eliminate(p, r);
    pivots.push(r);
  }
  return pivots;
}

function eliminate(target: Row, pivot: Row): void {
  const f = target.coef.get(pivot.lead!);
  if (f === undefined) return;
  for (const [k, v] of pivot.coef) {
    const next = (target.coef.get(k) ?? 0) - f * v;
    if (Math.abs(next) < EPS) target.coef.delete(k);
    else target.coef.set(k, next);
  }
  target.rhs -= f * pivot.rhs;
}

/** The bounds each hidden count can take, narrowed by every row until nothing changes. */
function bounds(rows: readonly Row[], seen: ReadonlyMap<string, Visibility>): Map<string, [number, number]> {
  const b = new Map<string, [number, number]>();
  for (const r of rows) for (const id of r.coef.keys()) b.set(id, seen.get(id) === "small" ? [1, SMALL - 1] : [0, Infinity]);
  for (let round = 0, changed = true; changed && round < 100; round++) {
    changed = false;
    for (const r of rows) {
      for (const [id, a] of r.coef) {
        // a·x = rhs − Σ others: the others' bounds bound x.
        let lo = r.rhs;
        let hi = r.rhs;
        for (const [o, c] of r.coef) {
          if (o === id) continue;
          const [l, h] = b.get(o)!;
          lo -= c > 0 ? c * h : c * l;
          hi -= c > 0 ? c * l : c * h;
        }
        const [nl, nh] = a > 0 ? [lo / a, hi / a] : [hi / a, lo / a];
        const cur = b.get(id)!;
        const next: [number, number] = [Math.max(cur[0], Number.isNaN(nl) ? -Infinity : nl), Math.min(cur[1], Number.isNaN(nh) ? Infinity : nh)];
        if (next[0] > cur[0] + EPS || next[1] < cur[1] - EPS) {
          b.set(id, next);
          changed = true;
        }
      }
    }
  }
  return b;
}

/** Rows that share no hidden count are independent problems: each is reduced on its own. */
function components(rows: readonly Row[]): Row[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const r of rows) {
    const ids = [...r.coef.keys()];
    for (const id of ids) if (!parent.has(id)) parent.set(id, id);
    for (const id of ids.slice(1)) parent.set(find(id), find(ids[0]!));
  }
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const root = find(r.coef.keys().next().value!);
    groups.set(root, [...(groups.get(root) ?? []), r]);
  }
  return [...groups.values()];
}

/** Every "<5" these rows pin down, sorted. */
function exposedIn(rows: readonly Row[], seen: ReadonlyMap<string, Visibility>): string[] {
  const reduced = reduce(rows);
  const out = new Set<string>();
  for (const r of reduced) if (r.coef.size === 1 && seen.get(r.lead!) === "small") out.add(r.lead!);
  // A "<5" whose possible values narrow to less than two integers is as good as published.
  const b = bounds([...rows, ...reduced], seen);
  for (const [id, [lo, hi]] of b) if (seen.get(id) === "small" && Math.floor(hi + EPS) - Math.ceil(lo - EPS) < 1) out.add(id);
  return [...out].sort();
}

/**
 * The first "<5" the published figures pin down. Problems made only of counts in `safe` were found
 * safe before and have not changed since (hiding a count changes the problem it joins); those found
 * safe now are added to it.
 */
export function exposed(
  values: ReadonlyMap<string, number>, seen: ReadonlyMap<string, Visibility>, equations: readonly Equation[], safe = new Set<string>(),
): string | undefined {
  for (const rows of components(hiddenRows(values, seen, equations))) {
    const ids = new Set(rows.flatMap((r) => [...r.coef.keys()]));
    if ([...ids].every((id) => safe.has(id))) continue;
    const id = exposedIn(rows, seen)[0];
    if (id !== undefined) return id;
    ids.forEach((x) => safe.add(x));
  }
  return undefined;
}

/** Which counts are shown, which are "<5" and which are hidden to protect them. */
export function protect(values: ReadonlyMap<string, number>, equations: readonly Equation[]): Map<string, Visibility> {
  const seen = new Map<string, Visibility>();
  for (const [id, v] of values) seen.set(id, v > 0 && v < SMALL ? "small" : "shown");
  const byCell = new Map<string, Equation[]>();
  for (const e of equations) {
    for (const c of new Set([...e.plus, ...e.minus])) {
      if (!values.has(c)) throw new Error(`disclosure: equation on an unknown count ${c}`);
      byCell.set(c, [...(byCell.get(c) ?? []), e]);
    }
  }
  // Only the equations with a count not shown say anything about one.
  const concerned = new Set<Equation>();
  const hide = (c: string, as: Visibility) => {
    seen.set(c, as);
    byCell.get(c)?.forEach((e) => concerned.add(e));
  };
  for (const [c, v] of seen) if (v === "small") hide(c, "small");
  const safe = new Set<string>();
  for (;;) {
    const id = exposed(values, seen, [...concerned], safe);
    if (id === undefined) return seen;
    // Hide a published count near it: the first, in order of distance (its own equations, then
    // further out) and of size (the smallest non-zero one, so that readers lose the least),
    // that leaves it no longer pinned down; when none does alone, the nearest smallest, and again.
    const candidates = nearby(id, byCell, seen).sort((a, b) => a.depth - b.depth || rank(values, a.id) - rank(values, b.id) || (a.id < b.id ? -1 : 1));
    if (candidates.length === 0) throw new Error(`disclosure: ${id} cannot be protected`);
    const pinned = () => exposedIn(hiddenRows(values, seen, reachable(id, byCell, seen)), seen).includes(id);
    const fix = candidates.slice(0, TRIES).find(({ id: c }) => {
      seen.set(c, "hidden");
      const works = !pinned();
      seen.set(c, "shown");
      return works;
    }) ?? candidates[0]!;
    hide(fix.id, "hidden");
  }
}

/** How many published counts are tried, one by one, before the nearest smallest is hidden anyway. */
const TRIES = 40;

/** Published counts within a few equations of `id`, with their distance. */
function nearby(id: string, byCell: ReadonlyMap<string, readonly Equation[]>, seen: ReadonlyMap<string, Visibility>): { id: string; depth: number }[] {
  const out = new Map<string, number>();
  let frontier = new Set([id]);
  const visited = new Set([id]);
  for (let depth = 1; depth <= 6 && frontier.size > 0; depth++) {
    const next = new Set<string>();
    for (const c of frontier) for (const e of byCell.get(c) ?? []) for (const x of [...e.plus, ...e.minus]) {
      if (visited.has(x)) continue;
      visited.add(x);
      next.add(x);
      if (seen.get(x) === "shown") out.set(x, depth);
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
