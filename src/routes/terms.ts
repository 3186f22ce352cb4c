/**
 * GET /api/v1/terms — when a legal term ends. Public: it computes only public
 * rules, so it needs no authentication. The contract is fixed; other tools
 * depend on it.
 */
import { cors } from "hono/cors";
import * as z from "zod";
import { CALENDAR_IDS, isCalendarId } from "../engine/holidays.js";
import { type InstantFailure, parseInstant } from "../engine/instant.js";
import { daysFromCivil, isoDate } from "../engine/civil.js";
import { MAX_AMOUNT, type TermFailure, computeTerm } from "../engine/term.js";
import type { Term } from "../engine/term-types.js";
import { integerParam, parseQuery } from "../http/query.js";
import { ApiError, problem } from "../http/problem.js";
import { QUERY_PROBLEMS, contract } from "../http/contract.js";
import { createRouter } from "../http/router.js";

const INSTANT_DETAILS: Record<InstantFailure["reason"], string> = {
  malformed: "from: non è un istante RFC 3339 (AAAA-MM-GGThh:mm:ss con offset)",
  "missing-offset": "from: manca l'offset (Z oppure ±hh:mm): senza, il giorno a Roma è ambiguo",
  "invalid-field": "from: data o ora inesistente",
};

const Instant = z.string().transform((text, ctx) => {
  const parsed = parseInstant(text);
  if (parsed.ok) return { text, ms: parsed.ms };
  ctx.addIssue({ code: "custom", message: INSTANT_DETAILS[parsed.reason] });
  return z.NEVER;
});

const TermsQuery = z.strictObject({
  from: Instant.meta({ format: "date-time", description: "Istante da cui decorre il termine, RFC 3339 con offset o Z", examples: ["2024-03-26T10:00:00+01:00"] }),
  amount: integerParam(1, 999_999_999),
  unit: z.enum(["hours", "days", "months", "years"]),
  regime: z.enum(["penal", "civil", "administrative"]),
  calendar: z.string().refine(isCalendarId).default("IT"),
  // Absent: the law's default, the suspension for judicial terms (L. 742/1969 art. 1).
  feriale: z.enum(["apply", "ignore", "custody-waived", "urgent", "organised-crime", "civil-urgent", "labour"]).optional(),
  /** Civil: when the proceeding was instituted (decides the Saturday rule for terms expiring by 4 July 2009). */
  instituted: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => isRealDate(d)).optional(),
});

function isRealDate(iso: string): boolean {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  return isoDate(daysFromCivil(y, m, d)) === iso;
}

/** The suspension the law applies when the caller names no exception: judicial terms yes, administrative no. */
const defaultFeriale = (regime: "penal" | "civil" | "administrative"): "apply" | "ignore" => (regime === "administrative" ? "ignore" : "apply");

const HINTS = {
  from: "istante RFC 3339 con offset o Z, ad es. 2024-03-26T10:00:00%2B01:00",
  amount: "numero intero positivo",
  unit: "uno tra hours, days, months, years",
  regime: "uno tra penal, civil, administrative",
  calendar: `uno tra ${CALENDAR_IDS.join(", ")} (vedi /api/v1/calendars)`,
  feriale:
    "apply (predefinito per i termini penali e civili), ignore (predefinito per gli amministrativi), oppure l'eccezione di legge: custody-waived, urgent, organised-crime (penali, art. 2 L. 742/1969), civil-urgent, labour (civili, art. 3 L. 742/1969)",
  instituted: "data di instaurazione del procedimento civile, AAAA-MM-GG",
} as const;

function failure(f: TermFailure, unit: keyof typeof MAX_AMOUNT): ApiError {
  switch (f.reason) {
    case "amount-out-of-range":
      return ApiError.parameters([
        { parameter: "amount", code: "out_of_range", detail: `amount: al massimo ${MAX_AMOUNT[unit]} per unit=${unit}` },
      ]);
    case "from-out-of-range":
      return ApiError.parameters([
        { parameter: "from", code: "out_of_range", detail: "from: sono supportati gli istanti dal 1996 al 2299" },
      ]);
    case "due-out-of-range":
      return ApiError.parameters([
        { parameter: "amount", code: "out_of_range", detail: "amount: la scadenza cadrebbe oltre il 2299" },
      ]);
    case "unknown-calendar":
      return ApiError.parameters([{ parameter: "calendar", code: "invalid_parameter", detail: `calendar: ${HINTS.calendar}` }]);
    case "feriale-not-for-regime":
      return ApiError.parameters([
        { parameter: "feriale", code: "invalid_parameter", detail: `feriale: l'eccezione indicata non riguarda i termini ${REGIME_WORDS[f.regime]}` },
      ]);
  }
}

const REGIME_WORDS = { penal: "penali", civil: "civili", administrative: "amministrativi" } as const;

export const terms = createRouter();

terms.use(cors({ origin: "*", allowMethods: ["GET"] }));

terms.get("/", (c) => {
  const q = parseQuery(c, TermsQuery, HINTS);
  const feriale = q.feriale ?? defaultFeriale(q.regime);
  const instituted = q.instituted === undefined ? undefined : daysFromCivil(+q.instituted.slice(0, 4), +q.instituted.slice(5, 7), +q.instituted.slice(8, 10));
  const outcome = computeTerm({ ...q, from: q.from.ms, feriale, instituted });
  if (!outcome.ok) throw failure(outcome.failure, q.unit);
  c.header("Cache-Control", "public, max-age=3600");
  return c.json(termBody({ ...q, from: q.from.text, feriale }, outcome.term));
});

/** The answer's body: the input as understood, then the term without its internal millisecond field. */
export function termBody<I extends object>(input: I, term: Term) {
  const { dueAtMs: _internal, ...rest } = term;
  return { input, ...rest };
}

terms.on(["POST", "PUT", "PATCH", "DELETE"], "/", (c) => {
  c.header("Allow", "GET, OPTIONS");
  return problem(c, "method_not_allowed", "Questa risorsa accetta solo GET");
});

const TermAnswer = z.object({
  input: z.object({}).loose().describe("I parametri come compresi (from, amount, unit, regime, calendar, feriale, instituted)"),
  dueAt: z.string().describe("Ultimo istante utile, RFC 3339 con l'offset di Roma"),
  dueDate: z.string().optional().describe("Giorno di scadenza, per i termini a giorni, mesi e anni"),
  plainDate: z.string().optional().describe("La data prima della proroga per festivo o sabato, se diversa"),
  extendedDate: z.string().optional().describe("Termini a mesi o anni non prorogati per legge, o date fissate su un festivo: la data che la proroga darebbe (possibile proroga)"),
  flags: z.array(z.enum(["officeClosed", "extended", "notExtended", "possibleExtension", "monthEnd", "augustSuspension", "summerTimeChange"])),
  steps: z.array(z.object({ rule: z.string(), citation: z.string(), text: z.string().describe("La motivazione, in italiano") })),
});

export const termsContracts = [contract({
  method: "get", path: "/api/v1/terms", operationId: "computeTerm", tag: "Termini", summary: "Calcolo di un termine di legge, con la motivazione passo per passo (pubblico)",
  query: TermsQuery, responses: { 200: { description: "Il termine", schema: TermAnswer } },
  problems: [...QUERY_PROBLEMS, "out_of_range"],
})];
