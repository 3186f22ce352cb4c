/**
 * Reporting obligations on dates fixed by law. They start themselves from
 * the cron (see workflows/schedule.ts) for every responsible office in the
 * directory, `leadDays` before each due date; submitting the report closes
 * them.
 */
import type { Schedule, TimelineInput } from "./definition.js";
import { FIXED_DATE_RUNGS } from "./rungs.js";
import { noSanction } from "./consequence.js";

interface Obligation {
  id: string;
  title: string;
  basis: string;
  status: "in-force" | "bill";
  role: string;
  kind: string;
  dates: string[] | "quarter-ends" | "half-year-ends";
  /** The dates are period ends, due this setting's days later. */
  lag?: "compliance-data" | "compliance-report";
  /** How the setting sets the day (Italian), shown in the reason. */
  setting?: string;
  report?: "regional" | "national" | "compliance-quarterly" | "compliance-half-yearly";
  notes?: string[];
  /** Its reference's code (see obligationRef). */
  code: string;
  reportsOnPreviousYear?: boolean;
  /** What a late report can matter for, when more than the generic. */
  late?: string;
}

const SUBMITTED = "report.submitted";

function obligation(o: Obligation): TimelineInput {
  const trigger = `period.${o.id}`;
  return {
    id: o.id,
    version: 1,
    title: o.title,
    basis: o.basis,
    status: o.status,
    trigger,
    roles: { [o.role]: o.kind },
    stages: [{
      id: "report", title: o.title, basis: o.basis, startsOn: trigger,
      term: { given: "dueDate", regime: "administrative", ...(o.setting === undefined ? {} : { setting: o.setting }) },
      date: "term", consequence: noSanction(o.basis, o.late ?? "il ritardo può rilevare sul piano organizzativo"),
      office: o.role, closesOn: { [SUBMITTED]: "relazione trasmessa" },
    }],
    rungs: FIXED_DATE_RUNGS,
    schedule: {
      office: o.role, dates: o.dates, leadDays: 45, ...(o.lag === undefined ? {} : { lag: o.lag }),
      ref: { code: o.code, reportsOnPreviousYear: o.reportsOnPreviousYear === true },
    },
    ...(o.report === undefined ? {} : { report: o.report }),
    notes: o.notes ?? [],
  };
}

export const COMPLIANCE_QUARTERLY = obligation({
  id: "compliance-quarterly",
  code: "DATI-362BIS",
  title: "Trasmissione trimestrale dei dati sul rispetto dei termini dell'art. 362-bis al Procuratore generale",
  basis: "art. 127 co. 1-bis disp. att. c.p.p. (introdotto dall'art. 8 L. 24 novembre 2023, n. 168)",
  status: "in-force",
  role: "procura",
  kind: "procura",
  dates: "quarter-ends",
  lag: "compliance-data",
  late: "i dati servono alla relazione semestrale del Procuratore generale, che ne segnala la mancanza",
  setting: "la data è stabilita dalla configurazione del servizio, un numero di giorni dopo la fine del trimestre (COMPLIANCE_DATA_LAG_DAYS, 15 salvo diversa impostazione), perché i dati del trimestre siano completi",
  report: "compliance-quarterly",
  notes: [
    "La legge non fissa il giorno: la scadenza segue la fine di ciascun trimestre di un numero di giorni stabilito dalla configurazione (COMPLIANCE_DATA_LAG_DAYS); anche i trimestri sono configurabili (COMPLIANCE_QUARTER_ENDS).",
  ],
});

export const COMPLIANCE_HALF_YEARLY = obligation({
  id: "compliance-half-yearly",
  code: "RELAZIONE-362BIS",
  title: "Relazione semestrale del Procuratore generale presso la Corte d'appello al Procuratore generale presso la Corte di cassazione",
  basis: "art. 127 co. 1-bis disp. att. c.p.p. (introdotto dall'art. 8 L. 24 novembre 2023, n. 168)",
  status: "in-force",
  role: "pg",
  kind: "pg-appello",
  dates: "half-year-ends",
  lag: "compliance-report",
  setting: "la data è stabilita dalla configurazione del servizio, un numero di giorni dopo la fine del semestre (COMPLIANCE_REPORT_LAG_DAYS, 30 salvo diversa impostazione), dopo la scadenza dei dati delle Procure per quel semestre",
  report: "compliance-half-yearly",
  notes: ["La legge chiede la relazione almeno ogni sei mesi senza fissare il giorno: la scadenza è stabilita dalla configurazione (COMPLIANCE_REPORT_LAG_DAYS)."],
});

export const REGIONAL_REPORT = obligation({
  id: "regional-report",
  code: "RELAZIONE-REGIONALE",
  reportsOnPreviousYear: true,
  title: "Relazione annuale della Regione sulle iniziative finanziate",
  basis: "proposta di legge del 2020 (Senato), art. 1 co. 5",
  status: "bill",
  role: "regione",
  kind: "regione",
  dates: ["03-30"],
  report: "regional",
});

export const PARLIAMENT_REPORT = obligation({
  id: "parliament-report",
  code: "RELAZIONE-PARLAMENTO",
  reportsOnPreviousYear: true,
  title: "Relazione del Ministro al Parlamento",
  basis: "proposta di legge del 2020 (Senato), art. 1 co. 6",
  status: "bill",
  role: "ministero",
  kind: "dipartimento-po",
  dates: ["06-30"],
  report: "national",
});

export const ASSOCIATIONS_REPORT = obligation({
  id: "associations-report",
  code: "MONITORAGGIO-ASSOCIAZIONI",
  title: "Relazione annuale di monitoraggio delle associazioni iscritte al registro",
  basis: "proposta di legge del 2022 (Senato), art. 6",
  status: "bill",
  role: "association",
  kind: "associazione",
  dates: ["12-31"],
});

export const NATIONAL_REGISTER = obligation({
  id: "national-register",
  code: "REGISTRO-OPERATORI",
  title: "Aggiornamento del registro nazionale degli operatori",
  basis: "proposta di legge del 2022 (Senato), art. 12",
  status: "bill",
  role: "dipartimento",
  kind: "dipartimento-po",
  dates: ["01-31"],
});

/**
 * A system obligation's reference, readable where a case number would be: its code and the period
 * it is for, from the day that keys the period (a quarter's or half-year's last day, or the due date
 * of a yearly report): DATI-362BIS-T4-2026, RELAZIONE-362BIS-S2-2026, RELAZIONE-REGIONALE-2026 (the
 * report on 2026, due 30 March 2027). The quarter and half are the calendar ones holding that day.
 */
export function obligationRef(s: Pick<Schedule, "dates" | "ref">, periodDay: string): string {
  const year = Number(periodDay.slice(0, 4));
  const month = Number(periodDay.slice(5, 7));
  const period = s.dates === "quarter-ends" ? `T${Math.ceil(month / 3)}-${year}`
    : s.dates === "half-year-ends" ? `S${month <= 6 ? 1 : 2}-${year}`
    : String(s.ref.reportsOnPreviousYear ? year - 1 : year);
  return `${s.ref.code}-${period}`;
}
