/**
 * npm run timelines:table — docs/timelines.md's table of timelines, from the catalogue.
 * A test keeps that copy equal to it.
 */
import { CATALOGUE } from "../src/timelines/catalog.js";
import type { StageDefinition, TimelineDefinition } from "../src/timelines/definition.js";

function term(s: StageDefinition): string {
  const t = s.term;
  if ("weeks" in t) return `${t.weeks === 1 ? "1 calendar week" : `${t.weeks} calendar weeks`} (Rome clock, weekly windows)`;
  if ("anniversary" in t) return `${t.amount} ${t.unit}, ${t.anniversary === "lapse" ? "lapse on the anniversary" : "from the day after the anniversary"} (never moved)`;
  if ("judged" in t) return `${t.unit} set by the decision (data.${t.judged}), never moved`;
  if ("per" in t) return "by the end of each calendar year (never moved)";
  if ("given" in t) return `fixed date${t.setting === undefined ? "" : " (deployment setting)"}, ${t.regime}`;
  return `${t.amount} ${t.unit}, ${t.regime}${t.feriale === "apply" ? " (August suspension)" : ""}`;
}

function stage(s: StageDefinition): string {
  const extra = [
    s.informational ? "information only" : "",
    s.recurs ? `recurs${s.recursFrom === "anniversary" ? " on anniversaries" : ""}` : "",
    s.suspension ? `one suspension ≤ ${s.suspension.maxDays} days` : "",
    s.alsoFrom ? `or from data.${s.alsoFrom.field}, the earlier` : "",
  ].filter(Boolean).join("; ");
  const per = "weeks" in s.term ? "week" : "year";
  const closes = s.quota ? `${s.quota.count}× ${s.quota.event}/${per}` : Object.keys(s.closesOn).join(", ") || "—";
  const c = s.consequence;
  const missed = `${c.kind}${c.unverified ? " (to verify)" : ""}, ${c.citation}`;
  return `${s.id}: ${s.date}, ${term(s)}${extra ? ` (${extra})` : ""} → ${s.office}; closes on ${closes}; if missed: ${missed}`;
}

function row(d: TimelineDefinition): string {
  const sch = d.schedule;
  const trigger = sch === undefined ? d.trigger : `cron: ${Array.isArray(sch.dates) ? sch.dates.join(", ") : sch.dates}${sch.lag ? ` + ${sch.lag} lag` : ""}`;
  const stages = d.stages.map(stage);
  if (Object.keys(d.endsOn).length > 0) stages.push(`ends early on ${Object.keys(d.endsOn).join(", ")}`);
  return `| \`${d.id}\` v${d.version} | ${d.status === "bill" ? "bill" : "in force"} | ${d.basis} | \`${trigger}\` | ${stages.join("<br>")} |`;
}

export function timelinesTable(): string {
  return ["| id | status | basis | trigger | stages |", "| --- | --- | --- | --- | --- |", ...CATALOGUE.map(row)].join("\n");
}

if (process.argv[1]?.endsWith("timelines-table.ts")) console.log(timelinesTable());
