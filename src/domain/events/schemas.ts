/**
 * The wire shapes of events and cases, shared by the webhook and the staff
 * API and turned into /openapi.json. Event data is a strict schema per
 * type: free text, where names and offences would end up, has no field.
 */
import { DEADLINE_STATUSES } from "../../db/schema.js";
import * as z from "zod";
import { parseInstant } from "../../engine/instant.js";
import { hasOwn } from "../../lib/own.js";
import { canonicalReference, readReference } from "../../lib/reference.js";
import { eventFields, eventInstants, eventTypes, isTrigger, optionalFields } from "../../timelines/catalog.js";

/**
 * A case reference, canonical once parsed (src/lib/reference.ts): "0977966/2026" and " 977966 / 2026"
 * are 977966/2026; an ambiguous one ("977966/26") is refused, with why, before any other check.
 */
export const CaseRef = z
  .string()
  .max(80, "riferimento troppo lungo")
  .check((ctx) => {
    const r = readReference(ctx.value);
    if (!r.ok) ctx.issues.push({ code: "custom", message: r.reason, input: ctx.value, continue: false });
  })
  .overwrite(canonicalReference)
  .regex(/^[A-Za-z0-9][A-Za-z0-9/._-]{1,62}[A-Za-z0-9]$/, "riferimento non valido: 3-64 caratteri tra lettere, cifre, / . _ -")
  .regex(/[0-9]/, "il riferimento deve contenere un numero (es. 1234/2026 RGNR), non un nome")
  .meta({ description: "Riferimento pseudonimo del procedimento, es. un numero RGNR", example: "1234/2026" });

const OfficeId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "identificativo d'ufficio non valido");

export const Instant = z
  .string()
  .refine((s) => parseInstant(s).ok, "istante RFC 3339 con offset richiesto, es. 2026-03-02T10:15:00+01:00")
  .meta({ format: "date-time", example: "2026-03-02T10:15:00+01:00" });

const NoData = z.strictObject({});

/** A starting event may name the offices, role by role, or the district to look them up in. */
const TriggerData = z.strictObject({
  offices: z
    .record(z.string().regex(/^[a-z][a-z-]*$/), OfficeId)
    .optional()
    .meta({ description: "Uffici competenti per ruolo (es. procura, gip); se assenti, dalla rubrica per distretto" }),
  jurisdiction: z.string().regex(/^[A-Z]{2}$/, "sigla del distretto, es. TO").optional(),
  /** For timelines with a date fixed by law, set by the scheduler. */
  dueDate: z.iso.date().optional(),
});

const EventId = z.uuid("identificativo di evento (restituito alla sua registrazione)");

/** Events about events: a corrected date, or an event entered by mistake. */
export const AMENDMENTS = {
  "event.corrected": z.strictObject({ eventId: EventId, occurredAt: Instant.meta({ description: "La data corretta dell'evento" }) }),
  "event.cancelled": z.strictObject({ eventId: EventId }),
} as const;

/** Data accepted by an event type: a catalogue's event or an amendment, and nothing free-form; undefined if unknown. */
export function eventDataSchema(type: string): z.ZodType | undefined {
  if (hasOwn(AMENDMENTS, type)) return AMENDMENTS[type as keyof typeof AMENDMENTS];
  if (!eventTypes().has(type)) return undefined;
  const base = isTrigger(type) ? TriggerData : NoData;
  const fields = eventFields(type);
  const instants = eventInstants(type);
  if (Object.keys(fields).length === 0 && instants.length === 0) return base;
  const optional = optionalFields(type);
  return base.extend({
    ...Object.fromEntries(Object.entries(fields).map(([name, values]) => {
      const e = z.enum(values as [string, ...string[]]);
      return [name, optional.has(name) ? e.optional() : e];
    })),
    ...Object.fromEntries(instants.map((name) => [name, Instant.optional()])),
  });
}

export function eventDataSchemas(): Record<string, z.ZodType> {
  return Object.fromEntries([...eventTypes(), ...Object.keys(AMENDMENTS)].map((t) => [t, eventDataSchema(t)!]));
}

/** What the staff API accepts at /api/v1/cases/{ref}/events. */
export const CaseEventBody = z.strictObject({
  type: z.string().min(1).max(64),
  occurredAt: Instant,
  data: z.record(z.string(), z.unknown()).default({}),
});

/** What the webhook accepts: the same, with the case named in the body. */
export const WebhookEventBody = CaseEventBody.extend({
  caseRef: CaseRef,
  caseOffice: OfficeId.optional().meta({ description: "L'ufficio titolare del riferimento, se il mittente usa lo stesso numero presso più uffici" }),
});

/** Which case a reference means, when the caller sees it at more than one office. */
export const HintQuery = z.strictObject({
  office: OfficeId.optional(),
  district: z.string().regex(/^[A-Z]{2}$/, "sigla del distretto, es. TO").optional(),
});
export const HINT_HINTS = { office: "l'ufficio titolare del riferimento", district: "il distretto, es. TO" };

export const CreateCaseBody = z.strictObject({
  ref: CaseRef,
  offices: z
    .record(z.string().regex(/^[a-z][a-z-]*$/), OfficeId)
    .refine((o) => Object.keys(o).length > 0, "almeno un ufficio")
    .meta({ description: "Uffici coinvolti per ruolo, es. { procura, gip }; il riferimento è del primo indicato" }),
});

/** What recording an event answers (201; 200 with `replayed` for a repeated key or webhook-id). */
export const EventResultSchema = z.object({
  event: z.object({ id: z.string().describe("Identificativo dell'evento, per rettificarlo o annullarlo"), type: z.string(), occurredAt: z.string() }),
  case: z.object({ ref: z.string() }),
  replayed: z.boolean(),
  timelines: z.array(z.object({ timeline: z.string(), version: z.number().int(), instanceId: z.string(), status: z.enum(["running", "closed", "withdrawn"]) })),
  deadlines: z.array(z.object({
    id: z.string(), stage: z.string(), office: z.string(), status: z.enum(DEADLINE_STATUSES),
    dueAt: z.string().describe("RFC 3339 con l'offset di Roma"), dueDate: z.string().nullable(),
    warning: z.string().optional().describe("Da sapere subito, es. un'udienza fissata oltre il termine"),
  })),
});
