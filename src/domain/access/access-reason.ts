/**
 * Why case data was consulted or disclosed: art. 21 co. 2 D.Lgs. 51/2018 wants every log of a
 * consultation or a disclosure to tell its reason, date and time, who, and the recipients. The
 * reason is derived from the context wherever there is one (a deadline of one's own office, an
 * escalation one's office received, a message Termini sends because a rung fell due) and declared
 * otherwise: a short choice and, for "altro", a few words. Pure: the facts come in.
 */

/** The reasons a person may declare, as the form offers them. */
export const DECLARED = {
  trattazione: "trattazione del procedimento per il proprio ufficio",
  verifica: "verifica della liceità del trattamento o controllo interno",
  assistenza: "assistenza tecnica richiesta da un ufficio",
  richiesta: "richiesta dell'autorità giudiziaria o del Garante",
  altro: "altro motivo",
} as const;
type DeclaredCode = keyof typeof DECLARED;

export const NOTE_MAX = 200;

/** A declared reason as the log stores it, or what is wrong with it (Italian, for the form). */
export function declaredReason(code: unknown, note: unknown): { ok: true; reason: string } | { ok: false; error: string } {
  if (typeof code !== "string" || !Object.hasOwn(DECLARED, code)) return { ok: false, error: "Scelga il motivo della consultazione." };
  const text = typeof note === "string" ? note.replace(/\s+/g, " ").trim() : "";
  if (text.length > NOTE_MAX) return { ok: false, error: `La precisazione può avere al più ${NOTE_MAX} caratteri.` };
  if (code === "altro" && text.length < 5) return { ok: false, error: "Con «altro motivo», scriva in poche parole quale." };
  const label = DECLARED[code as DeclaredCode];
  return { ok: true, reason: `dichiarato: ${label}${text === "" ? "" : ` — ${text}`}` };
}

/** A reason sent with an API request (Termini-Access-Reason) or declared with a credential: printable, short. */
export function apiReason(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const text = raw.replace(/\s+/g, " ").trim();
  return text.length >= 3 && text.length <= NOTE_MAX && !/[\x00-\x1f\x7f]/.test(text) ? text : null;
}

export interface CaseDeadline {
  id: string;
  title?: string;
  office: string;
  status: string;
  notifications: readonly { kind: string; office: string; status: string }[];
}

/** How long after its office closed a deadline the case is still that office's business without a declared reason. */
export const FOLLOW_UP_MS = 7 * 86_400_000;

/**
 * The reason the context gives for opening a case, or null (then it must be declared): an open
 * deadline of one of `own` offices, or one that lapsed without its act; an escalation sent to
 * `own`; an open deadline of an office `overseen`; a deadline of `own` closed lately (`closedAt`:
 * those closed within FOLLOW_UP_MS, by id) — the clerk checking the act just recorded.
 */
export function contextReason(
  deadlines: readonly CaseDeadline[], own: ReadonlySet<string>, overseen: ReadonlySet<string>, officeName: (id: string) => string,
  closedAt: ReadonlyMap<string, number> = new Map(),
): string | null {
  const open = deadlines.filter((d) => d.status === "open");
  const title = (d: CaseDeadline) => (d.title === undefined ? "" : ` «${d.title}»`);
  const mine = open.find((d) => own.has(d.office));
  if (mine !== undefined) return `gestione della scadenza${title(mine)} ${ofOffice(officeName(mine.office))}`;
  const lapsed = deadlines.find((d) => d.status === "lapsed" && own.has(d.office));
  if (lapsed !== undefined) return `verifica del termine scaduto senza l'atto${title(lapsed)} ${ofOffice(officeName(lapsed.office))}`;
  // A message Termini sent the office about the case: the office follows it up.
  for (const [kind, what] of [["escalation", "segnalazione ricevuta"], ["notice", "comunicazione ricevuta"], ["reminder", "promemoria ricevuto"]] as const) {
    const told = deadlines.find((d) => d.notifications.some((n) => n.kind === kind && n.status === "sent" && own.has(n.office)));
    if (told !== undefined) return `${what} sulla scadenza${title(told)} ${ofOffice(officeName(told.office))}`;
  }
  const below = open.find((d) => overseen.has(d.office));
  if (below !== undefined) return `vigilanza sulla scadenza${title(below)} ${ofOffice(officeName(below.office))}`;
  const closed = deadlines.find((d) => own.has(d.office) && closedAt.has(d.id));
  if (closed !== undefined) return `seguito della scadenza${title(closed)} ${ofOffice(officeName(closed.office))}, chiusa da poco`;
  return null;
}

const ofOffice = (name: string) => `dell'ufficio ${name}`;

/** Why Termini itself sends a message about a case: the rung that fell due, to the office that must act or oversee. */
export function messageReason(kind: string): string {
  switch (kind) {
    case "reminder": return "promemoria della scadenza all'ufficio che deve provvedere";
    case "escalation": return "segnalazione del termine non rispettato all'ufficio sovraordinato";
    case "notice": return "comunicazione prevista dalla legge all'ufficio interessato";
    case "fallback": return "recapito sostitutivo all'indirizzo di riserva dell'ufficio";
    case "alert": return "avviso agli amministratori di un recapito non riuscito";
    default: return "comunicazione all'ufficio interessato";
  }
}

/** Why an event is posted to a subscriber's endpoint. */
export const OUTBOUND_REASON = "comunicazione dell'evento al sistema dell'ufficio che lo ha sottoscritto";

/** The only purposes the log may be read for (art. 21 co. 3 D.Lgs. 51/2018), as the log's page offers them. */
export const LOG_PURPOSES = {
  liceita: "verifica della liceità del trattamento",
  controllo: "controllo interno",
  sicurezza: "integrità e sicurezza dei dati",
  penale: "procedimento penale",
  garante: "richiesta del Garante per la protezione dei dati personali",
} as const;
export type LogPurpose = keyof typeof LOG_PURPOSES;
