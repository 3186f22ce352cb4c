/**
 * The part of /docs an integrator reads to run on its own: how to get a
 * credential or a sender, what every outbound payload and header carries
 * (with types, formats and examples), that delivery order is not
 * guaranteed and how the sequence settles it, how to catch up from the
 * event log, what the subscribing office can do and when Termini disables
 * an endpoint, the calendar feed, local development, and the versioning
 * policy. Every figure comes from the code or the configuration it states.
 */
import { config } from "../config.js";
import type { Bindings } from "../env.js";
import { spanInItalian } from "../lib/italian.js";
import { KIND_LABELS, OUTBOUND_DATA, OUTBOUND_KINDS, PAYLOAD_VERSION, TEST_KIND } from "../outbound/events.js";
import type { CatalogueField } from "./docs-catalogue.js";

/** A data field of an inbound event as the catalogue states it: its values, or its type with an example. */
export function fieldText(f: CatalogueField) {
  if (f.kind === "enum") return <>uno tra {f.values.map((v) => <code>{v} </code>)}</>;
  if (f.kind === "instant") return <>istante RFC 3339 con offset (stringa, <code>format: date-time</code>), es. <code>{f.example}</code></>;
  return <>identificativo dell'evento da modificare (UUID, stringa): il campo <code>event.id</code> della risposta che lo ha registrato, es. <code>{f.example}</code></>;
}

export const INTEGRATOR_SECTIONS: [string, string][] = [
  ["accesso", "Credenziali e mittenti"], ["uscita", "Eventi in uscita: corpo e intestazioni"], ["ordine", "Ordine e sequenza"],
  ["recupero", "Recuperare gli eventi: il registro"], ["abbonamento", "Gestire il proprio abbonamento"], ["calendario", "Il calendario delle scadenze"],
  ["sviluppo", "Provare in locale"], ["versioni", "Versioni e deprecazioni"],
];

const PAYLOAD = `{
  "id": "msg_3f2a9c0b1d4e5f60718293a4b5c6d7e8",
  "type": "deadline.opened",
  "version": ${PAYLOAD_VERSION},
  "timestamp": "2026-10-01T10:00:03+02:00",
  "sequence": 1,
  "data": { "case": { "ref": "1234/2026", "office": "procura-torino" }, "timeline": { … }, "deadline": { … }, "link": "https://…" }
}`;

const FIELDS: [string, string, string][] = [
  ["id", "stringa opaca che inizia con msg_", "identifica l'evento: uguale all'intestazione webhook-id, lo stesso a ogni tentativo e reinvio. Deduplicate su di esso."],
  ["type", "stringa, uno dei tipi qui sotto", "il tipo di evento (anche nell'intestazione termini-event-type)"],
  ["version", `intero, oggi ${PAYLOAD_VERSION}`, "la versione del formato del corpo (vedi «Versioni e deprecazioni»)"],
  ["timestamp", "istante RFC 3339 con l'offset di Roma, es. 2026-10-01T10:00:03+02:00", "quando l'evento è accaduto in Termini (non quando è stato inviato)"],
  ["sequence", "intero ≥ 1 (0 nelle prove e negli esempi)", "cresce a ogni evento dello stesso procedimento, o della stessa relazione, e non riparte mai: vedi «Ordine e sequenza»"],
  ["sample", "true, solo negli esempi", "presente solo negli esempi inviati a richiesta: dati fittizi, da non registrare"],
  ["data", "oggetto, secondo il tipo", "i fatti dell'evento: nessun nome né dato anagrafico, il procedimento indicato dal suo riferimento pseudonimo (ogni consegna è registrata come comunicazione); schema completo in /openapi.json (webhooks)"],
];

const HEADERS: [string, string][] = [
  ["webhook-id, webhook-timestamp, webhook-signature", "la firma Standard Webhooks: verificatela con il segreto dell'abbonamento prima di usare il corpo; webhook-signature può contenere più firme separate da spazio (durante una rotazione): accettate l'evento se una è valida"],
  ["content-type, user-agent", "application/json; Termini-Webhooks/1"],
  ["termini-event-type", "il tipo dell'evento, per instradarlo senza leggere il corpo"],
  ["termini-delivery", "la consegna (l'evento per il vostro abbonamento), come nell'elenco delle consegne"],
  ["termini-delivery-attempt", "il numero del tentativo, da 1; un reinvio a mano continua la numerazione"],
];

export function IntegratorDocs(props: { env: Bindings }) {
  const c = config(props.env);
  const logDays = c.OUTBOUND_LOG_DAYS;
  const disableAfter = spanInItalian(c.WEBHOOK_DISABLE_AFTER_MS);
  const alertAfter = spanInItalian(c.WEBHOOK_ALERT_AFTER_MS);
  const window = spanInItalian(c.WEBHOOK_RETRY_WINDOW_MS);
  const retry = { timeout: spanInItalian(c.WEBHOOK_TIMEOUT_MS), base: spanInItalian(c.WEBHOOK_RETRY_BASE_MS), max: spanInItalian(c.WEBHOOK_RETRY_MAX_MS) };
  return (
    <>
      <h2 id="accesso">Credenziali e mittenti</h2>
      <ul>
        <li><strong>Credenziale d'ufficio</strong> (token <code>Authorization: Bearer …</code>) per l'API: la rilascia un amministratore di Termini in Amministrazione → Credenziali API, per uno o più uffici (o per una Regione o il Ministero, che leggono solo le relazioni) e con la finalità dichiarata, che il registro degli accessi riporta per ogni consultazione; il token (<code>trm_…</code>) è mostrato una sola volta e si revoca dalla stessa pagina. Vale per i procedimenti dei suoi uffici e di quelli sottostanti nella catena di segnalazione.</li>
        <li><strong>Sistema mittente</strong> (segreto <code>whsec_…</code>) per inviare eventi firmati a <code>POST /webhooks/events</code>: lo registra un amministratore in Amministrazione → Sistemi mittenti, con gli uffici per cui invia.</li>
        <li><strong>Abbonamento</strong> agli eventi in uscita: lo crea un amministratore per il vostro ufficio o centro; da lì in poi lo gestite voi (vedi «Gestire il proprio abbonamento»).</li>
      </ul>

      <h2 id="uscita">Eventi in uscita: corpo e intestazioni</h2>
      <p>Ogni evento è un <code>POST</code> JSON al vostro endpoint HTTPS, firmato a ogni tentativo. Corpo:</p>
      <pre><code>{PAYLOAD}</code></pre>
      <table>
        <thead><tr><th scope="col">Campo</th><th scope="col">Tipo e formato</th><th scope="col">Significato</th></tr></thead>
        <tbody>{FIELDS.map(([f, t, m]) => <tr><td><code>{f}</code></td><td>{t}</td><td>{m}</td></tr>)}</tbody>
      </table>
      <table>
        <thead><tr><th scope="col">Intestazione</th><th scope="col">Contenuto</th></tr></thead>
        <tbody>{HEADERS.map(([h, m]) => <tr><td><code>{h}</code></td><td>{m}</td></tr>)}</tbody>
      </table>
      <table>
        <thead><tr><th scope="col">Tipo</th><th scope="col">Quando</th><th scope="col">Campi di <code>data</code></th></tr></thead>
        <tbody>
          {OUTBOUND_KINDS.map((k) => <tr><td><code>{k}</code></td><td>{KIND_LABELS[k]}</td><td>{Object.keys(OUTBOUND_DATA[k].shape).map((f) => <code>{f} </code>)}</td></tr>)}
          <tr><td><code>{TEST_KIND}</code></td><td>Prova chiesta dalla pagina dell'abbonamento o dall'API; non si sceglie tra i tipi dell'abbonamento e non compare nel registro</td><td><code>subscription </code><code>office </code></td></tr>
        </tbody>
      </table>
      <p>
        Rispondete 2xx entro {retry.timeout} (i reindirizzamenti non sono seguiti). Altrimenti Termini riprova dopo {retry.base}, raddoppiando l'attesa fino a{" "}
        {retry.max} e rispettando <code>Retry-After</code>, per {window}; poi l'evento resta tra quelli non consegnati, da cui si reinvia. Dove gli eventi passano
        per QStash, i tentativi sono di QStash: sei in tutto, nell'arco di circa un giorno.
      </p>

      <h2 id="ordine">Ordine e sequenza</h2>
      <p>
        L'ordine di consegna <strong>non è garantito</strong>: un evento ritentato può arrivare dopo uno successivo (per esempio un{" "}
        <code>deadline.opened</code> ritentato dopo il <code>deadline.closed</code> della stessa scadenza). Il <code>sequence</code> conta gli eventi di un
        procedimento (o di una relazione) nell'ordine in cui sono accaduti, e non riparte mai. Per lo stato di un oggetto conservate, insieme allo stato, il{" "}
        <code>sequence</code> dell'evento che lo ha prodotto, e ignorate un evento sullo stesso oggetto con un numero minore: la stessa scadenza
        (<code>data.deadline.id</code>), lo stesso scadenzario (<code>data.timeline.instance</code>), la stessa relazione (<code>data.report</code>: kind,
        period e scope). Non confrontate oggetti diversi: eventi su scadenze diverse dello stesso procedimento arrivano in qualunque ordine. I numeri
        possono avere buchi (contano anche eventi di tipi o di uffici che non ricevete).
      </p>

      <h2 id="recupero">Recuperare gli eventi: il registro</h2>
      <p>
        <code>GET /api/v1/subscriptions/{"{id}"}/events?after=&lt;cursore&gt;&amp;limit=100</code> (limit da 1 a 500, 100 se omesso) restituisce, in ordine,
        gli eventi che l'abbonamento ha ricevuto o avrebbe ricevuto (anche quelli scritti mentre era sospeso o disattivato, con lo stato{" "}
        <code>skipped</code>), ciascuno con il corpo identico a quello inviato e lo stato della consegna. Senza <code>after</code> si parte dal più vecchio
        conservato; passate il <code>cursor</code> della risposta come <code>after</code> alla lettura successiva, e <code>hasMore</code> dice se continuare
        subito. L'intestazione facoltativa <code>Termini-Access-Reason</code> dichiara il motivo della lettura, che il registro degli accessi riporta
        (altrimenti vale la finalità della credenziale). Il registro conserva gli eventi per <strong>{logDays} giorni</strong> (<code>OUTBOUND_LOG_DAYS</code>),
        ben oltre la durata dei tentativi ({window}): un sistema rimasto fermo, o che ha perso dati, recupera tutto da sé. Le prove e gli esempi non vi compaiono.
      </p>

      <h2 id="abbonamento">Gestire il proprio abbonamento</h2>
      <p>Con la credenziale del vostro ufficio (API) o dalla pagina Webhook (web) potete, e ogni azione è registrata:</p>
      <ul>
        <li>vedere le consegne, con ogni tentativo, lo stato HTTP e l'inizio (1 KiB) della vostra risposta;</li>
        <li>reinviare qualsiasi consegna, anche già consegnata, con lo stesso <code>webhook-id</code>;</li>
        <li>cambiare l'indirizzo (HTTPS, nome di dominio pubblico: non indirizzi IP privati, localhost, .local o .internal; senza credenziali
          nell'indirizzo) e, dall'API, i tipi di evento; sospendere e riattivare;</li>
        <li>rinnovare il segreto: il precedente resta valido 24 ore e ogni evento porta entrambe le firme;</li>
        <li>inviare un evento di prova (<code>webhook.test</code>) o un esempio di qualsiasi tipo (<code>POST …/sample</code>, con <code>sample: true</code>):
          se non è accettato è ritentato come ogni evento, e conta per lo stato di errore.</li>
      </ul>
      <p>Reinvii, prove ed esempi non sono possibili mentre l'abbonamento è sospeso o disattivato. Riattivato, gli eventi del frattempo non partono da soli: recuperateli dal registro o reinviateli.</p>
      <p>
        Se l'endpoint rifiuta gli eventi da {alertAfter}, Termini avvisa l'ufficio e gli amministratori; dopo <strong>{disableAfter}</strong> di errori continui
        (<code>WEBHOOK_DISABLE_AFTER_MS</code>) disattiva l'abbonamento e lo comunica. Si riattiva solo a mano; gli eventi del frattempo sono nel registro.
      </p>

      <h2 id="calendario">Il calendario delle scadenze</h2>
      <p>
        Dalla pagina Calendario ogni operatore o capo dell'ufficio crea un indirizzo <code>/ical/…ics</code> (iCalendar, RFC 5545, fuso Europe/Rome, un
        promemoria il giorno prima) con le scadenze aperte dei suoi uffici, da aggiungere al proprio calendario. Chi conosce l'indirizzo vede le scadenze: un
        nuovo indirizzo revoca il precedente, si revoca dalla stessa pagina, e ogni lettura è registrata.
      </p>

      <h2 id="sviluppo">Provare in locale</h2>
      <p>
        Dal codice sorgente di Termini, <code>npm install &amp;&amp; npm run dev</code> lo avvia su <code>http://localhost:8787</code> con i dati di prova
        (credenziali nel README). Un abbonamento locale si crea con la credenziale di prova dell'amministratore:{" "}
        <code>POST /api/v1/subscriptions</code> con <code>Authorization: Bearer termini-local-demo-token</code> e un endpoint{" "}
        <code>http://localhost:…</code> (in locale è ammesso); il segreto <code>whsec_…</code> è solo in quella risposta. Un evento si genera con{" "}
        <code>npm run event -- suspect.registered 1234/2026</code>: le consegne partono subito dai flussi degli scadenzari, e <code>npm run dev</code> esegue
        ogni 5 minuti il passaggio periodico (<code>/__scheduled</code>) che riprende quelle rimaste indietro. Gli esempi di ogni tipo si inviano a richiesta.
      </p>

      <h2 id="versioni">Versioni e deprecazioni</h2>
      <ul>
        <li>L'API è <code>/api/v1</code>; il corpo degli eventi in uscita porta <code>version: {PAYLOAD_VERSION}</code>.</li>
        <li><strong>Senza preavviso</strong>, nella stessa versione: nuovi campi (nei corpi e nelle risposte: ignorate quelli che non conoscete), nuovi valori
          dei campi enumerati (es. <code>deadline.status</code>: trattate i valori sconosciuti), nuovi tipi di evento (ricevete solo i tipi a cui siete
          abbonati), nuove operazioni, nuovi parametri facoltativi, nuovi codici di problema.</li>
        <li><strong>Solo con una nuova versione</strong>: togliere o rinominare un campo, cambiarne tipo o significato, rendere obbligatorio un parametro,
          togliere un tipo di evento o un'operazione. La nuova versione (<code>/api/v2</code>, o <code>version: 2</code> negli eventi, che ogni abbonamento
          potrà scegliere) è annunciata per email agli uffici abbonati e su questa pagina almeno 6 mesi prima che la precedente cessi, e le due convivono in
          quel periodo; le risposte dell'API in dismissione portano le intestazioni <code>Deprecation</code> e <code>Sunset</code> (RFC 9745, RFC 8594).</li>
      </ul>
    </>
  );
}
