/**
 * The pages every public administration's service links from its footer (Designers Italia): the
 * accessibility declaration on AgID's model, with a feedback form that reaches the administrators;
 * the privacy notice (legal basis, data, retention, rights); the legal notes. Open to anyone.
 */
import { and, count, eq, gt, isNull } from "drizzle-orm";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../env.js";
import { hmacHex } from "../lib/digest.js";
import { config } from "../config.js";
import { audit } from "../db/audit.js";
import { database } from "../db/client.js";
import { signInRequests, users } from "../db/schema.js";
import { rateLimitKey } from "../deployment.js";
import { readForm } from "../http/body.js";
import { isEmailAddress } from "../lib/email.js";
import { mailerFor } from "../notify/context.js";
import { escapeHtml } from "../lib/html.js";
import { Layout, administrationName } from "./layout.js";
import { withArticle, withTheArticle } from "../lib/italian.js";
import { daysFromCivil, italianDate } from "../engine/civil.js";
import { PRE_CSRF_COOKIE, checkCsrf, currentUser, preSessionCsrf } from "./session.js";
import { Alert, ErrorSummary, type FieldError, Field, described } from "./ui.js";
import { createRouter } from "../http/router.js";

export const legalPages = createRouter();

/** Reports from one client in the sign-in window: the same limit as sign-in requests, on the same table. */
const FEEDBACK_LIMIT = 20;
const FEEDBACK_WINDOW_MS = 15 * 60_000;
/** When the declaration was last drawn up (AgID asks for the date): update it with the declaration. */
const DECLARED_ON = daysFromCivil(2026, 12, 6);
const capital = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);
/** The answer AgID's model promises. */
const ANSWER_DAYS = 30;

type Typed = { testo?: string; email?: string; errors?: FieldError[]; sent?: boolean };

async function accessibility(c: Context<AppEnv>, typed: Typed = {}) {
  const who = administrationName();
  const errorOf = (f: string) => typed.errors?.find((e) => e.field === f)?.message;
  return c.html(
    <Layout title="Dichiarazione di accessibilità" user={await currentUser(c, Date.now())}>
      <ErrorSummary errors={typed.errors ?? []} />
      <p>{capital(withTheArticle(who))} si impegna a rendere accessibile il servizio Termini, conformemente alla legge 9 gennaio 2004, n. 4, e alla direttiva (UE) 2016/2102. La presente dichiarazione segue il modello dell'Agenzia per l'Italia digitale (AgID); è stata redatta il {italianDate(DECLARED_ON)} e va aggiornata a ogni modifica rilevante del servizio.</p>
      <h2 class="h4">Stato di conformità</h2>
      <p>Il servizio è <strong>parzialmente conforme</strong> ai requisiti della norma UNI CEI EN 301549 (WCAG 2.1, livello AA): la conformità è verificata in modo automatico su ogni pagina, ma non è ancora stata completata una valutazione manuale con tecnologie assistive.</p>
      <h3 class="h5">Contenuti non accessibili</h3>
      <ul>
        <li>Le relazioni scaricabili in PDF non sono documenti marcati (tagged PDF): le stesse tabelle sono scaricabili in formato CSV dalla pagina Relazioni.</li>
      </ul>
      <h2 class="h4">Redazione della dichiarazione</h2>
      <p>La dichiarazione è stata redatta per autovalutazione: a ogni modifica del servizio una prova automatica apre ogni pagina in un browser, su schermo da computer e da telefono, e verifica con axe-core che non vi siano violazioni; la navigazione da tastiera e l'ordine di lettura sono stati controllati dal gruppo di sviluppo.</p>
      <h2 class="h4">Segnalazioni e contatti</h2>
      <p>Se trova un contenuto o una funzione che non riesce a usare, lo segnali con questo modulo: la segnalazione arriva agli amministratori del servizio, che rispondono entro {ANSWER_DAYS} giorni all'indirizzo indicato.</p>
      {typed.sent === true && <Alert tone="success">Segnalazione inviata agli amministratori. Grazie: riceverà risposta entro {ANSWER_DAYS} giorni.</Alert>}
      <form method="post" action="/accessibilita" novalidate>
        <input type="hidden" name="csrf" value={preSessionCsrf(c)} />
        <Field id="testo" label="Che cosa non riesce a usare?" error={errorOf("testo")} hint="Indichi la pagina e che cosa non funziona. Non inserisca dati di procedimenti o di persone.">
          <textarea {...described("testo", { hint: true, error: errorOf("testo") })} name="testo" rows={4} maxlength={2000}>{typed.testo ?? ""}</textarea>
        </Field>
        <Field id="email-risposta" label="Indirizzo per la risposta" error={errorOf("email-risposta")}>
          <input {...described("email-risposta", { error: errorOf("email-risposta") })} name="email" type="email" autocomplete="email" value={typed.email ?? ""} />
        </Field>
        <button type="submit" class="btn btn-primary">Invia la segnalazione</button>
      </form>
      <h3 class="h5 mt-4">Procedura di attuazione</h3>
      <p>In caso di risposta insoddisfacente o di mancata risposta entro {ANSWER_DAYS} giorni, può rivolgersi al Difensore civico per il digitale istituito presso AgID (art. 3‑quinquies, comma 3, della legge 4/2004).</p>
    </Layout>,
    typed.errors !== undefined && typed.errors.length > 0 ? 422 : 200,
  );
}

legalPages.get("/accessibilita", (c) => accessibility(c));

legalPages.post("/accessibilita", async (c) => {
  const now = Date.now();
  const form = await readForm(c.req.raw);
  checkCsrf(getCookie(c, PRE_CSRF_COOKIE), form.csrf);
  const typed: Typed = { testo: String(form.testo ?? "").trim().slice(0, 2000), email: String(form.email ?? "").trim() };
  const errors: FieldError[] = [];
  if (typed.testo === "") errors.push({ field: "testo", message: "Descriva che cosa non riesce a usare." });
  if (!isEmailAddress(typed.email!)) errors.push({ field: "email-risposta", message: "Indichi un indirizzo di posta elettronica valido per la risposta." });
  if (errors.length > 0) return accessibility(c, { ...typed, errors });
  const db = database(c.env.DB);
  // Anyone may write: the same per-client limit as sign-in requests keeps it from being a mail cannon.
  const client = await hmacHex(rateLimitKey(c.env), `client:${c.req.header("CF-Connecting-IP") ?? "local"}`);
  const [recent] = await db.batch([
    db.select({ n: count() }).from(signInRequests).where(and(eq(signInRequests.clientHash, client), gt(signInRequests.at, now - FEEDBACK_WINDOW_MS))),
    db.insert(signInRequests).values({ clientHash: client, at: now }),
  ]);
  if ((recent[0]?.n ?? 0) >= FEEDBACK_LIMIT) return c.html(<Layout title="Troppe richieste"><Alert tone="danger">Troppe richieste: riprovi tra qualche minuto.</Alert></Layout>, 429);
  const admins = (await db.select({ email: users.email }).from(users).where(and(eq(users.role, "admin"), isNull(users.disabledAt))).all()).map((u) => u.email);
  const id = crypto.randomUUID();
  if (admins.length > 0) {
    await mailerFor(c.env, db).send({
      idempotencyKey: `accessibility:${id}`, from: c.env.EMAIL_FROM, to: admins, replyTo: typed.email,
      subject: `[Termini] ${administrationName()} — segnalazione sull'accessibilità`,
      text: `È arrivata una segnalazione dal modulo della dichiarazione di accessibilità. Risponda entro ${ANSWER_DAYS} giorni all'indirizzo ${typed.email}.\n\n${typed.testo}`,
      html: `<p>È arrivata una segnalazione dal modulo della dichiarazione di accessibilità. Risponda entro ${ANSWER_DAYS} giorni all'indirizzo indicato (è l'indirizzo di risposta di questo messaggio).</p><blockquote>${escapeHtml(typed.testo!)}</blockquote>`,
    });
  }
  // The audit log says it arrived and to how many administrators, not what it says or who wrote.
  await audit(db, { actor: "public", action: "accessibility.feedback", caseId: null, requestId: c.get("requestId"), detail: { id, administrators: admins.length } }, now);
  return accessibility(c, { sent: true });
});


legalPages.get("/privacy", async (c) => {
  const who = administrationName();
  return c.html(
    <Layout title="Informativa sul trattamento dei dati personali" user={await currentUser(c, Date.now())}>
      <p>Titolare del trattamento è {withTheArticle(who)}, che ha designato un responsabile della protezione dei dati: i recapiti di entrambi sono pubblicati sul sito istituzionale dell'amministrazione. Termini calcola e ricorda agli uffici i termini di legge dei procedimenti per violenza di genere e domestica.</p>
      <h2 class="h4">Quali dati</h2>
      <ul>
        <li><strong>Procedimenti</strong>: il numero di registro, gli uffici competenti, il tipo e la data degli atti, le scadenze che ne derivano. Termini non riceve nomi, indirizzi o altri dati delle persone coinvolte.</li>
        <li><strong>Utenti</strong>: nome, indirizzo di posta elettronica di servizio, ruolo e uffici; per chi accede con SPID o CIE, un'impronta cifrata del codice fiscale, che basta a riconoscerlo, mai il codice; gli accessi, le consultazioni e le modifiche, con data, ora e motivo.</li>
      </ul>
      <h2 class="h4">Base giuridica</h2>
      <ul>
        <li>I dati dei procedimenti sono trattati dalle autorità competenti a fini di prevenzione, indagine, accertamento e perseguimento di reati: decreto legislativo 18 maggio 2018, n. 51 (attuazione della direttiva (UE) 2016/680), art. 5, per gli adempimenti fissati dal codice di procedura penale (tra gli altri, art. 362-bis e art. 384-bis) e dalle leggi sulla violenza di genere.</li>
        <li>I dati degli utenti sono trattati per l'esecuzione di un compito di interesse pubblico: regolamento (UE) 2016/679, art. 6, paragrafo 1, lettera e), e decreto legislativo 30 giugno 2003, n. 196, art. 2‑ter.</li>
      </ul>
      <h2 class="h4">Per quanto tempo</h2>
      <p>I dati di un procedimento sono cancellati {config(c.env).RETENTION_YEARS} anni dopo la sua ultima attività, quando nessuno scadenzario è più in corso. Il registro degli accessi e delle comunicazioni è conservato {config(c.env).AUDIT_RETENTION_YEARS} anni (art. 21 del d.lgs. 51/2018) e poi cancellato: di un procedimento cancellato prima conserva solo l'identificativo interno, mai il numero di registro. Le ricevute dei messaggi dei sistemi collegati sono cancellate dopo 30 giorni.</p>
      <h2 class="h4">Chi vede i dati</h2>
      <p>Ogni ufficio vede solo i procedimenti in cui è competente; le Regioni e le amministrazioni centrali destinatarie delle relazioni ricevono solo dati aggregati. Ogni consultazione e ogni comunicazione di dati è registrata con il motivo, la data e l'ora, chi l'ha eseguita e i destinatari. Il registro è letto solo dagli amministratori e dal responsabile della protezione dei dati, per verificare la liceità del trattamento, per il controllo interno, per la sicurezza dei dati e nei procedimenti penali, ed è messo a disposizione del Garante su richiesta.</p>
      <h2 class="h4">Diritti</h2>
      <p>Gli interessati esercitano i diritti previsti dagli articoli 9-14 del d.lgs. 51/2018 (e, per i dati degli utenti, dagli articoli 15-22 del regolamento (UE) 2016/679) rivolgendosi al titolare, e possono proporre reclamo al Garante per la protezione dei dati personali.</p>
    </Layout>,
  );
});

legalPages.get("/note-legali", async (c) => {
  const who = administrationName();
  return c.html(
    <Layout title="Note legali" user={await currentUser(c, Date.now())}>
      <p>Il servizio Termini è gestito {withArticle("da", who)} ed è riservato al personale delle amministrazioni autorizzate: ogni accesso è nominativo e registrato.</p>
      <p>Le scadenze sono calcolate dalle norme citate accanto a ciascuna di esse («Perché questa data»); il calcolo è un ausilio e non sostituisce la valutazione dell'ufficio competente, né modifica i termini fissati dalla legge.</p>
      <p>I contenuti del servizio sono soggetti alle regole dell'amministrazione titolare. L'interfaccia usa Bootstrap Italia, il sistema di design di Designers Italia, distribuito con licenza BSD-3-Clause.</p>
    </Layout>,
  );
});
