/**
 * The programme as the condition of a suspended sentence (art. 165 co. 5
 * c.p.), version 2. No statute sets a term from the final judgment to the
 * programme's start, but the judgment itself must set one, counted from its
 * becoming irrevocable, and the programme's duration (Cass. sez. VI n.
 * 40888/2024): the timeline starts at the irrevocable judgment, with the
 * start term (data.dueDate) and the duration in months (data.durationMonths)
 * the judgment sets; the CUAV's intake is an event of its own, which meets
 * the start and opens the attendance weeks and the duration. Version 1
 * (started by the intake) stays for the instances begun under it.
 */
import type { TimelineInput } from "./definition.js";
import { assessed } from "./consequence.js";
import { PROGRAMME_SUSPENDED_SENTENCE as V1 } from "./programmes.js";

const JUDGMENT = "sentence.irrevocable";
const INTAKE = "programme.started-suspended-sentence";
const JUDGE_SETS = "Cass. sez. VI n. 40888/2024";
const NOT_STARTED =
  "Il termine fissato dalla sentenza per l'inizio del percorso è scaduto senza che il CUAV abbia comunicato la presa in carico: " +
  "l'obbligo rileva per la revoca della sospensione condizionale (art. 165 co. 5 e art. 168 c.p.).";

/** The durations a judgment may set, in months (enumerated: event data is never free text). */
const MONTHS = Array.from({ length: 36 }, (_, i) => String(i + 1));

export const PROGRAMME_SUSPENDED_SENTENCE_V2: TimelineInput = {
  ...V1,
  version: 2,
  basis: `${V1.basis}; il termine di inizio e la durata sono fissati dalla sentenza (${JUDGE_SETS})`,
  trigger: JUDGMENT,
  stages: [
    {
      id: "programme-start",
      title: "Inizio del percorso entro il termine fissato dalla sentenza",
      basis: `art. 165 co. 5 c.p.; ${JUDGE_SETS}`,
      startsOn: JUDGMENT,
      term: {
        given: "dueDate", regime: "penal",
        setting: "la sentenza fissa il termine di inizio del percorso, dalla sua irrevocabilità; la data (data.dueDate) è quella che ne risulta",
      },
      date: "term",
      consequence: assessed(
        "Se il percorso non inizia entro il termine fissato dalla sentenza, l'inadempimento rileva per l'UEPE e per il pubblico ministero ai fini della revoca della sospensione condizionale.",
        "art. 165 co. 5 c.p.; art. 168 c.p.",
      ),
      office: "cuav",
      closesOn: { [INTAKE]: "percorso iniziato (presa in carico da parte del CUAV)" },
      // The CUAV may not know the person before the intake: the authorities hear of the term and of its passing.
      rungs: [
        { id: "reminder-7d", kind: "reminder", at: { kind: "before-due-date", days: 7, time: "08:00" }, level: 0, role: "uepe" },
        { id: "not-started-uepe", kind: "escalation", at: { kind: "next-working-day", time: "08:00" }, level: 0, role: "uepe", text: NOT_STARTED },
        { id: "not-started-procura", kind: "escalation", at: { kind: "next-working-day", time: "08:00" }, level: 0, role: "procura", text: NOT_STARTED },
      ],
    },
    // Attendance weeks from the intake, as in version 1.
    V1.stages[0]!,
    {
      id: "programme-duration",
      title: "Durata del percorso fissata dalla sentenza",
      basis: `art. 165 co. 5 c.p.; ${JUDGE_SETS}`,
      startsOn: INTAKE,
      term: { judged: "durationMonths", unit: "months" },
      date: "length",
      informational: true,
      consequence: {
        kind: "not-a-term", citation: `art. 165 co. 5 c.p.; ${JUDGE_SETS}`,
        text: "È la durata del percorso fissata dalla sentenza, dalla presa in carico: prima di questa data il percorso non è completo; non è un termine per agire.",
      },
      office: "cuav",
    },
  ],
  eventFields: { ...V1.eventFields, [JUDGMENT]: { durationMonths: MONTHS } },
  notes: [
    "Lo scadenzario inizia con la sentenza divenuta irrevocabile, che fissa il termine di inizio del percorso (data.dueDate) e la sua durata in mesi (data.durationMonths); la presa in carico del CUAV è un evento a sé, che rispetta il termine di inizio e apre le settimane di frequenza.",
    "Nessuna norma fissa un termine tra la sentenza e l'inizio del percorso: lo stabilisce la sentenza (Cass. sez. VI n. 40888/2024).",
  ],
};
