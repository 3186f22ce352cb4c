/**
 * The inbound event catalogue as the reference shows it, built from the
 * timelines themselves: for each event type, what it does to which
 * timeline (starts it, starts or closes a stage, counts towards a quota,
 * suspends, ends it), and its data fields with their allowed values.
 */
import { AMENDMENTS } from "../domain/events/schemas.js";
import { displayTitle, eventFields, eventInstants, eventLabel, eventTypes, latest } from "../timelines/catalog.js";

/** enum: one of `values`; instant: RFC 3339 with an offset; event-id: the id a recorded event was answered with. */
export type CatalogueField = { name: string; kind: "enum"; values: string[] } | { name: string; kind: "instant" | "event-id"; example: string };

const instant = (name: string): CatalogueField => ({ name, kind: "instant", example: "2026-10-01T10:00:00+02:00" });
const eventIdField: CatalogueField = { name: "eventId", kind: "event-id", example: "3f6c2a1e-8b7d-4c5e-9f0a-1b2c3d4e5f60" };

export interface CatalogueEntry {
  type: string;
  label: string;
  /** "Scadenzario: what it does", one per effect. */
  effects: string[];
  /** name → allowed values, or what else the field is (an instant, an event's id), with an example. */
  fields: CatalogueField[];
}

function effectsOf(type: string): string[] {
  const out: string[] = [];
  for (const t of latest()) {
    const title = displayTitle(t);
    if (t.trigger === type) out.push(`${title}: avvia lo scadenzario`);
    for (const s of t.stages) {
      if (s.startsOn === type && t.trigger !== type) out.push(`${title}: apre la fase «${s.title}»`);
      if (Object.hasOwn(s.closesOn, type)) out.push(`${title}: chiude la fase «${s.title}» (${s.closesOn[type]})`);
      if (s.quota?.event === type) out.push(`${title}: conta per la frequenza della fase «${s.title}»`);
      if (s.suspension?.on === type) out.push(`${title}: sospende il termine della fase «${s.title}»`);
      if (s.suspension?.off === type) out.push(`${title}: fa riprendere il termine della fase «${s.title}»`);
      if (Object.hasOwn(s.starts?.restartsOn ?? {}, type)) out.push(`${title}: fa decorrere di nuovo il termine della fase «${s.title}» (${s.starts!.restartsOn[type]})`);
      if (s.scheduledBy?.event === type) {
        out.push(`${title}: fissa la data della fase «${s.title}» (data.${s.scheduledBy.field}); una data oltre il termine è segnalata subito`);
      }
    }
    if (Object.hasOwn(t.endsOn, type)) out.push(`${title}: chiude lo scadenzario (${t.endsOn[type]})`);
    if (t.notices.some((n) => n.on === type)) out.push(`${title}: avvisa gli uffici`);
  }
  return [...new Set(out)];
}

export function inboundCatalogue(): CatalogueEntry[] {
  const types = [...eventTypes()].sort();
  return [
    ...types.map((type) => ({
      type, label: eventLabel(type), effects: effectsOf(type),
      fields: [
        ...Object.entries(eventFields(type)).map(([name, values]): CatalogueField => ({ name, kind: "enum", values })),
        ...eventInstants(type).map(instant),
      ],
    })),
    {
      type: "event.corrected", label: "Rettifica della data di un evento", effects: ["Ogni scadenzario: ricalcola le scadenze avviate o chiuse dall'evento rettificato e avvisa gli uffici"],
      fields: Object.keys(AMENDMENTS["event.corrected"].shape).map((name) => (name === "eventId" ? eventIdField : instant(name))),
    },
    {
      type: "event.cancelled", label: "Annullamento di un evento registrato per errore", effects: ["Ogni scadenzario: ritira ciò che l'evento aveva avviato e riapre ciò che aveva chiuso"],
      fields: [eventIdField],
    },
  ];
}
