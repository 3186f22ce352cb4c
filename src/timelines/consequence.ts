/**
 * What a stage's date is, and what the law attaches to missing it: typed
 * data on every stage, shown wherever the stage appears (case page,
 * dashboard, emails, outbound payloads, the catalogue). A clerk must never
 * read "scaduto" as "void" where the law attaches nothing to the delay, nor
 * "open" where the measure has already lapsed.
 */
import * as z from "zod";

const Italian = z.string().min(3);

/**
 * - term: a term to act, whose expiry the holiday and Saturday rules of its regime move;
 * - period-end: the end of a period (an attendance week, a protocol's duration, a calendar year),
 *   never moved: the act belongs inside the period;
 * - length: a minimum length ("per un periodo non inferiore a otto mesi"): not a term, never moved;
 * - earliest: a date before which something may not happen ("non prima di"), never moved.
 */
export const DATE_KINDS = ["term", "period-end", "length", "earliest"] as const;
export type DateKind = (typeof DATE_KINDS)[number];

export const DATE_KIND_LABELS: Record<DateKind, string> = {
  "term": "termine per compiere l'atto",
  "period-end": "fine del periodo",
  "length": "durata minima",
  "earliest": "data minima («non prima di»)",
};

/**
 * - lapse: the measure stops having effect ("diviene inefficace", "cessa di avere efficacia");
 * - forfeiture: the right is lost ("a pena di decadenza");
 * - refusal: silence means refusal (silenzio-rigetto);
 * - preclusion: the act is no longer allowed;
 * - assessed: a missed period is reported to an authority, which weighs it (a programme's attendance);
 * - none: the act done late stays valid (a term "ordinatorio"); the delay can matter for
 *   disciplinary or organisational purposes;
 * - not-a-term: a length or an earliest date: nothing to miss.
 */
const CONSEQUENCE_KINDS = ["lapse", "forfeiture", "refusal", "preclusion", "assessed", "none", "not-a-term"] as const;
export type ConsequenceKind = (typeof CONSEQUENCE_KINDS)[number];

export const CONSEQUENCE_LABELS: Record<ConsequenceKind, string> = {
  "lapse": "perdita di efficacia",
  "forfeiture": "decadenza",
  "refusal": "silenzio-rigetto",
  "preclusion": "l'atto non è più consentito",
  "assessed": "valutazione dell'autorità competente",
  "none": "nessuna sanzione sull'atto (termine ordinatorio)",
  "not-a-term": "non è un termine per agire",
};

/** Said next to a stage whose consequence is not verified on the official text. */
export const TO_VERIFY = "da verificare sul testo ufficiale";

export const Consequence = z.strictObject({
  kind: z.enum(CONSEQUENCE_KINDS),
  /** What happens when the date passes without the act, as a sentence: "L'allontanamento diviene inefficace." */
  text: Italian,
  /** The provision that says so (or, for "none", the one that sets the term without a sanction). */
  citation: Italian,
  /**
   * For a lapse: what has happened once it has, as a short outcome ("allontanamento divenuto
   * inefficace"): the event the timeline records, the stage's outcome, the escalation's lead.
   */
  effect: Italian.optional(),
  /** The point could not be read on the official text here: shown with "da verificare sul testo ufficiale". */
  unverified: z.boolean().default(false),
});
export type Consequence = z.output<typeof Consequence>;

/** The event the timeline records when a stage with a lapse expires without its act. */
export const LAPSE_EVENT = "stage.lapsed";

/**
 * The sentence, then its source: "… l'allontanamento diviene inefficace. Fonte: art. 384-bis co. 2-bis
 * c.p.p., …" — after, not in brackets, since citations carry brackets of their own.
 */
export function consequenceLine(c: Consequence): string {
  return `${c.text} ${sourceOf(c)}`;
}

/** "Fonte: art. …." (and "da verificare sul testo ufficiale" where it applies), ending with one full stop. */
export function sourceOf(c: Pick<Consequence, "citation" | "unverified">): string {
  const cite = c.unverified ? `${c.citation}, ${TO_VERIFY}` : c.citation;
  return `Fonte: ${cite}${cite.endsWith(".") ? "" : "."}`;
}

/** How the line is introduced: what missing the date means, or what the date is. */
export const consequenceHeading = (c: Pick<Consequence, "kind">): string => (c.kind === "not-a-term" ? "Che cos'è questa data" : "Conseguenza della scadenza");

/**
 * Whether the product acts on the lapse (records it, refuses the act after it): only where the text
 * was read. An unverified lapse is said and alerted on, as the other uncertain points are, but never
 * blocks an act the law may still allow.
 */
export const recordsLapse = (c: Consequence): boolean => c.kind === "lapse" && !c.unverified;

/** Whether an event recorded at `at` is too late for a stage that lapses at `dueAtMs`. */
export const lapsedAt = (c: Consequence, dueAtMs: number, at: number): boolean => recordsLapse(c) && at > dueAtMs;

type ConsequenceInput = z.input<typeof Consequence>;

/** A term with no sanction on the act (the usual case for the offices' own terms). */
export function noSanction(citation: string, matters = "il ritardo può rilevare sul piano disciplinare o organizzativo"): ConsequenceInput {
  return { kind: "none", text: `La legge non prevede una sanzione sull'atto compiuto dopo la scadenza, che resta valido; ${matters}.`, citation };
}

/** A missed period that an authority assesses (a programme's attendance). */
export function assessed(text: string, citation: string): ConsequenceInput {
  return { kind: "assessed", text, citation };
}

/** How the API and the payloads describe it: the data, with its label. */
export function describeConsequence(c: Consequence) {
  return { kind: c.kind, label: CONSEQUENCE_LABELS[c.kind], text: c.text, citation: c.citation, unverified: c.unverified, ...(c.effect === undefined ? {} : { effect: c.effect }) };
}

/** Its schema, for the API reference and the outbound payloads. */
export const ConsequenceSchema = z.object({
  kind: z.enum(CONSEQUENCE_KINDS).describe("Che cosa comporta la scadenza senza l'atto: lapse (perdita di efficacia), forfeiture (decadenza), refusal (silenzio-rigetto), preclusion (atto non più consentito), assessed (valutazione dell'autorità), none (termine ordinatorio), not-a-term"),
  label: z.string(), text: z.string().describe("Che cosa accade, in italiano"), citation: z.string(),
  unverified: z.boolean().describe("Punto da verificare sul testo ufficiale"),
  effect: z.string().optional().describe("Per una perdita di efficacia: l'esito registrato quando accade"),
});
