/** GET /api/v1/timelines — the catalogue: public rules, no case data. */
import * as z from "zod";
import { contract } from "../http/contract.js";
import { BILL_LABEL, CATALOGUE, displayTitle, enabledBills, isEnabled, latest } from "../timelines/catalog.js";
import type { TimelineDefinition } from "../timelines/definition.js";
import { ConsequenceSchema, DATE_KINDS, DATE_KIND_LABELS, describeConsequence } from "../timelines/consequence.js";
import { createRouter } from "../http/router.js";

export const timelines = createRouter();

/** A timeline as the catalogue and the preview describe it. */
export const TimelineSchema = z.object({
  id: z.string(), version: z.number().int(), versions: z.array(z.number().int()), title: z.string(), basis: z.string().describe("Fonte normativa"),
  status: z.enum(["in-force", "bill"]), statusLabel: z.string(), enabled: z.boolean().describe("Attivo in questa installazione (le proposte di legge solo se abilitate)"),
  trigger: z.string().describe("Tipo di evento che lo avvia"), roles: z.record(z.string(), z.string()).describe("Ruolo → tipo di ufficio"),
  stages: z.array(z.object({
    id: z.string(), title: z.string(), basis: z.string(), startsOn: z.string(), term: z.object({}).loose().describe("Termine: quantità e unità, o data fissata"),
    office: z.string().describe("Ruolo dell'ufficio tenuto"), closesOn: z.record(z.string(), z.string()).describe("Evento → esito"), informational: z.boolean().optional(),
    date: z.enum(DATE_KINDS).describe("Che cos'è la data: term (termine per compiere l'atto, prorogato per i festivi secondo il regime), period-end (fine di un periodo, mai spostata), length (durata minima), earliest (data minima)"),
    dateLabel: z.string(), consequence: ConsequenceSchema,
  })),
  endsOn: z.record(z.string(), z.string()), notes: z.array(z.string()).optional(),
});

export const timelinesContracts = [contract({
  method: "get", path: "/api/v1/timelines", operationId: "listTimelines", tag: "Scadenzari", summary: "Catalogo degli scadenzari: fasi, termini, eventi che li avviano, fanno avanzare o chiudono (pubblico)",
  responses: { 200: { description: "Catalogo", schema: z.object({ timelines: z.array(TimelineSchema) }) } }, problems: [],
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
      closesOn: s.closesOn, informational: s.informational, date: s.date, dateLabel: DATE_KIND_LABELS[s.date], consequence: describeConsequence(s.consequence),
    })),
    endsOn: t.endsOn,
    notes: t.notes,
  };
}

timelines.get("/", (c) => {
  const bill = enabledBills(c.env.ENABLED_BILLS);
  return c.json({ timelines: latest().map((t) => describeTimeline(t, isEnabled(t, bill))) });
});
