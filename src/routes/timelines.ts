/** GET /api/v1/timelines — the catalogue: public rules, no case data. */
import { Hono } from "hono";
import { contract } from "../http/contract.js";
import type { AppEnv } from "../env.js";
import { BILL_LABEL, CATALOGUE, displayTitle, enabledBills, isEnabled, latest } from "../timelines/catalog.js";
import type { TimelineDefinition } from "../timelines/definition.js";

export const timelines = new Hono<AppEnv>();

export const timelinesContracts = [contract({
  method: "get", path: "/api/v1/timelines", tag: "Scadenzari", summary: "Catalogo degli scadenzari: fasi, termini, eventi che li avviano, fanno avanzare o chiudono (pubblico)",
  responses: { 200: { description: "Catalogo" } }, problems: [],
})];

export function describeTimeline(t: TimelineDefinition, enabled: boolean) {
  return {
    id: t.id,
    version: t.version,
    versions: CATALOGUE.filter((v) => v.id === t.id).map((v) => v.version),
    title: displayTitle(t),
    basis: t.basis,
    status: t.status,
    statusLabel: t.status === "bill" ? BILL_LABEL : "in vigore",
    enabled,
    trigger: t.trigger,
    roles: t.roles,
    stages: t.stages.map((s) => ({
      id: s.id, title: s.title, basis: s.basis, startsOn: s.startsOn, term: s.term, office: s.office,
      closesOn: s.closesOn, informational: s.informational,
    })),
    endsOn: t.endsOn,
    notes: t.notes,
  };
}

timelines.get("/", (c) => {
  const bill = enabledBills(c.env.ENABLED_BILLS);
  return c.json({ timelines: latest().map((t) => describeTimeline(t, isEnabled(t, bill))) });
});
