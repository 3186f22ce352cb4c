/**
 * Recovery programmes for perpetrators (brief §3): the CUAV's intake starts
 * the programme and tells the supervising authority; attendance is attested
 * week by week; a week short of attestations, an anomaly, the outcome and an
 * early end all reach the authority. One timeline per route, the same shape.
 */
import type { TimelineInput } from "./definition.js";
import { assessed } from "./consequence.js";

type Route = {
  id: string;
  title: string;
  basis: string;
  status: "in-force" | "bill";
  trigger: string;
  /** role → directory kind of the supervising authorities. */
  authorities: Record<string, string>;
  perWeek: number;
  minimumMonths?: number;
  endsEarly: Record<string, string>;
  /** Who records each early end: the authority whose measure it is (the CUAV records the programme's own end). */
  endedBy?: Record<string, string[]>;
  negative: string;
  /** What a week short of attestations means for this route's authority. */
  missing: string;
  /** The provision that makes the authority weigh a missed week. */
  missingBasis: string;
  /** What the authority weighs a missed week for ("ai fini della revoca della sospensione condizionale"). */
  weighs: string;
  extraNotices?: TimelineInput["notices"];
};

const ENDED = "programme.ended";

function programme(r: Route): TimelineInput {
  const authorities = Object.keys(r.authorities);
  const weekly = r.perWeek === 1 ? "almeno una volta a settimana" : `almeno ${r.perWeek} volte a settimana`;
  const tell = (on: string, text: string, when?: Record<string, string>) => authorities.map((to) => ({ on, to, text, ...(when ? { when } : {}) }));
  return {
    id: r.id,
    version: 1,
    title: r.title,
    basis: r.basis,
    status: r.status,
    trigger: r.trigger,
    roles: { cuav: "cuav", ...r.authorities },
    stages: [
      {
        id: "attendance",
        title: `Frequenza del programma (${weekly})`,
        basis: r.basis,
        startsOn: r.trigger,
        // Calendar weeks from the intake on the Rome clock, never moved for holidays: an attendance
        // window, not a term for an act.
        term: { weeks: 1, clock: "rome" },
        date: "period-end",
        consequence: assessed(`Una settimana senza le attestazioni richieste è segnalata all'autorità, che la valuta ${r.weighs}.`, r.missingBasis),
        office: "cuav",
        rolls: true,
        quota: { event: "programme.attendance", count: r.perWeek },
        rungs: authorities.map((role) => ({
          id: `anomaly-${role}`, kind: "escalation" as const, at: { kind: "next-working-day" as const, time: "08:00" }, level: 0, role,
          text: `Nella settimana conclusa non sono pervenute le attestazioni di frequenza richieste (${weekly}). ${r.missing}`,
        })),
      },
      ...(r.minimumMonths === undefined ? [] : [{
        id: "minimum-duration",
        title: `Durata minima del programma (${r.minimumMonths} mesi)`,
        basis: r.basis,
        startsOn: r.trigger,
        // "Per un periodo non inferiore a otto mesi": a length, not a term to act, so no holiday moves it.
        term: { anniversary: "lapse" as const, amount: r.minimumMonths, unit: "months" as const },
        date: "length" as const,
        consequence: {
          kind: "not-a-term" as const, citation: r.basis,
          text: `È la durata minima del programma (non inferiore a ${r.minimumMonths} mesi): prima di questa data il percorso non è completo; non è un termine per agire.`,
        },
        office: "cuav",
        informational: true,
      }]),
    ],
    endsOn: { [ENDED]: "programma concluso", ...r.endsEarly },
    endedBy: r.endedBy ?? {},
    notices: [
      ...tell(r.trigger, `Il CUAV ha comunicato la presa in carico: il programma è iniziato. Le attestazioni di frequenza sono attese ${weekly}.`),
      ...tell("programme.anomaly", "Il CUAV segnala un'anomalia nella partecipazione al programma."),
      ...tell(ENDED, "Il programma si è concluso con esito positivo.", { outcome: "positive" }),
      ...tell(ENDED, r.negative, { outcome: "negative" }),
      ...(r.extraNotices ?? []),
    ],
    eventFields: {
      [ENDED]: { outcome: ["positive", "negative"] },
      "programme.anomaly": { kind: ["absence", "behaviour", "withdrawal", "other"] },
    },
  };
}

export const PROGRAMME_SUSPENDED_SENTENCE = programme({
  id: "programme-suspended-sentence",
  title: "Percorso di recupero come condizione della sospensione condizionale della pena",
  basis: "art. 165 co. 5 c.p., come modificato dall'art. 15 L. 24 novembre 2023, n. 168",
  status: "in-force",
  trigger: "programme.started-suspended-sentence",
  authorities: { uepe: "uepe", procura: "procura" },
  perWeek: 2,
  endsEarly: { "suspension.revoked": "sospensione condizionale revocata" },
  // The revocation is the judge's (art. 168 c.p.), made known by the prosecutor or the UEPE.
  endedBy: { "suspension.revoked": ["procura", "uepe"] },
  negative: "Esito negativo del percorso: all'UEPE e al pubblico ministero per le valutazioni sulla revoca della sospensione condizionale (art. 165 co. 5 c.p.).",
  missing: "Le assenze non giustificate rilevano per l'UEPE e per il pubblico ministero ai fini della revoca della sospensione (art. 165 co. 5 c.p.).",
  missingBasis: "art. 165 co. 5 c.p.; art. 168 c.p.",
  weighs: "ai fini della revoca della sospensione condizionale",
});

export const PROGRAMME_AMMONIMENTO = programme({
  id: "programme-ammonimento",
  title: "Percorso di recupero dopo l'ammonimento",
  basis: "proposta di legge del 2020 (Senato), art. 2",
  status: "bill",
  trigger: "programme.started-ammonimento",
  authorities: { questura: "questura" },
  perWeek: 1,
  minimumMonths: 8,
  endsEarly: {},
  negative: "Esito negativo o attestazioni mancanti: il Questore valuta la proposta di sorveglianza speciale.",
  missing: "Il Questore valuta la proposta di sorveglianza speciale.",
  missingBasis: "proposta di legge del 2020 (Senato), art. 2",
  weighs: "per la proposta di sorveglianza speciale",
});

export const PROGRAMME_PRECAUTIONARY = programme({
  id: "programme-precautionary",
  title: "Percorso di recupero durante la misura cautelare",
  basis: "proposta di legge del 2020 (Senato), art. 3",
  status: "bill",
  trigger: "programme.started-precautionary",
  authorities: { gip: "gip" },
  perWeek: 1,
  minimumMonths: 8,
  endsEarly: { "measures.ceased": "misura cessata o revocata" },
  endedBy: { "measures.ceased": ["gip"] },
  negative: "Esito negativo del percorso: la violazione delle prescrizioni rileva ai sensi dell'art. 276 c.p.p.",
  missing: "La mancata frequenza può integrare la violazione delle prescrizioni ai sensi dell'art. 276 c.p.p.",
  missingBasis: "proposta di legge del 2020 (Senato), art. 3; art. 276 c.p.p.",
  weighs: "come possibile violazione delle prescrizioni della misura",
  extraNotices: [{ on: "measures.ceased", to: "gip", text: "La misura cautelare è cessata o è stata revocata: l'obbligo di frequenza del programma termina." }],
});
