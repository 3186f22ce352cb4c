/**
 * A realistic mix of term computations, deterministic (seeded), weighted
 * after the timelines of the brief.
 */
import type { BaselineInput } from "./baseline.js";
import { CALENDAR_IDS } from "../src/engine/holidays.js";

type Shape = Omit<BaselineInput, "from" | "calendar">;
const SHAPES: [number, Shape][] = [
  [30, { amount: 30, unit: "days", regime: "penal", feriale: "ignore" }], // 362-bis, PM
  [10, { amount: 20, unit: "days", regime: "penal", feriale: "ignore" }], // 362-bis, GIP
  [10, { amount: 3, unit: "days", regime: "penal", feriale: "ignore" }], // 362 co. 1-ter
  [15, { amount: 48, unit: "hours", regime: "penal", feriale: "ignore" }], // 384-bis, 382-bis
  [5, { amount: 3, unit: "months", regime: "penal", feriale: "ignore" }], // vigilance reviews
  [5, { amount: 8, unit: "months", regime: "penal", feriale: "ignore" }], // programmes
  [10, { amount: 120, unit: "days", regime: "administrative", feriale: "ignore" }], // indemnity
  [5, { amount: 3, unit: "years", regime: "administrative", feriale: "ignore" }], // ammonimento
  [5, { amount: 30, unit: "days", regime: "civil", feriale: "apply" }],
  [5, { amount: 30, unit: "days", regime: "penal", feriale: "apply" }],
];

/** A small seeded generator: the same mix on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number) => String(n).padStart(2, "0");

export function mix(count: number, seed = 2026): BaselineInput[] {
  const rnd = mulberry32(seed);
  const total = SHAPES.reduce((s, [w]) => s + w, 0);
  const out: BaselineInput[] = [];
  for (let i = 0; i < count; i++) {
    let pick = rnd() * total;
    const shape = SHAPES.find(([w]) => (pick -= w) < 0)![1];
    const ms = Date.UTC(2024, 0, 1) + Math.floor(rnd() * 7 * 365 * 86_400_000);
    const d = new Date(ms);
    const zone = rnd() < 0.5 ? "Z" : "+01:00";
    const shift = zone === "Z" ? 0 : 3_600_000;
    const l = new Date(ms + shift);
    const from = `${l.getUTCFullYear()}-${pad(l.getUTCMonth() + 1)}-${pad(l.getUTCDate())}T${pad(l.getUTCHours())}:${pad(d.getUTCMinutes())}:00${zone}`;
    const calendar = rnd() < 0.8 ? "IT" : CALENDAR_IDS[1 + Math.floor(rnd() * (CALENDAR_IDS.length - 1))]!;
    // One literal, so every input has the same hidden class, as inputs built
    // by the one route that parses a request do. A spread over the ten shape
    // objects gave ten hidden classes and megamorphic property reads in the
    // harness, which cost more than half the measured time.
    out.push({ from, amount: shape.amount, unit: shape.unit, regime: shape.regime, calendar, feriale: shape.feriale });
  }
  return out;
}
