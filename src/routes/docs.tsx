/**
 * /openapi.json, and /docs: the reference an integrator at a centre works
 * from, in Italian, with no outside assets — the inbound event catalogue
 * (built from the timelines), how to sign a request (curl, Node, Python),
 * the retry and replay rules both ways, the outbound events, the error
 * table and every operation, all from the same sources as the API.
 */
import { PROBLEMS } from "../http/problem.js";
import { inboundCatalogue } from "./docs-catalogue.js";
import { INTEGRATOR_SECTIONS, IntegratorDocs, fieldText } from "./docs-integrators.js";
import { displayTitle, latest } from "../timelines/catalog.js";
import { CONSEQUENCE_LABELS, DATE_KIND_LABELS, consequenceLine } from "../timelines/consequence.js";
import { CURL, NODE, PYTHON } from "./docs-examples.js";
import { openApiDocument } from "./openapi-document.js";
import { createRouter } from "../http/router.js";

export const docs = createRouter();

docs.get("/openapi.json", (c) => c.json(openApiDocument(c.env.APP_BASE_URL)));

docs.get("/docs", (c) => {
  const doc = openApiDocument();
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods as Record<string, { summary: string; responses: Record<string, unknown>; security?: unknown }>).map(([method, op]) => ({ path, method: method.toUpperCase(), ...op })));
  return c.html(
    <html lang="it">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Termini — documentazione API</title>
        <link rel="stylesheet" href="/assets/docs.css" />
      </head>
      <body>
        <main>
          <h1>Termini — documentazione API</h1>
          <p>{doc.info.description}</p>
          <p>
            Specifica completa: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1, generata dalle definizioni delle rotte). Errori in formato{" "}
            <code>application/problem+json</code> con <code>code</code> stabile e <code>requestId</code>.
          </p>
          <nav aria-label="Sezioni">
            <ul>
              <li><a href="#firma">Firmare un evento</a></li>
              <li><a href="#eventi">Catalogo degli eventi in ingresso</a></li>
              <li><a href="#scadenze">Che cosa comporta ogni scadenza</a></li>
              <li><a href="#riprove">Ripetizioni, riprove e reinvii</a></li>
              {INTEGRATOR_SECTIONS.map(([id, title]) => <li><a href={`#${id}`}>{title}</a></li>)}
              <li><a href="#errori">Errori</a></li>
              <li><a href="#operazioni">Operazioni</a></li>
            </ul>
          </nav>

          <h2 id="firma">Firmare un evento</h2>
          <p>
            <code>POST /webhooks/events</code> con le intestazioni <a href="https://www.standardwebhooks.com">Standard Webhooks</a>: <code>webhook-id</code>,{" "}
            <code>webhook-timestamp</code> (secondi Unix, tolleranza 5 minuti) e <code>webhook-signature</code>: <code>v1,</code> seguito dalla HMAC-SHA256 in
            base64 di <code>id.timestamp.corpo</code>, con la chiave base64 che segue <code>whsec_</code>. Corpo JSON fino a 64 KiB:{" "}
            <code>{"{ type, caseRef, occurredAt, data, caseOffice? }"}</code>.
          </p>
          <h3>curl (bash, openssl)</h3>
          <pre><code>{CURL}</code></pre>
          <h3>Node</h3>
          <pre><code>{NODE}</code></pre>
          <h3>Python</h3>
          <pre><code>{PYTHON}</code></pre>
          <p>
            Un evento è accettato solo dall'ufficio che deve compiere l'atto (o da un ufficio sovraordinato nella sua catena), da un mittente autorizzato
            per quel tipo di evento, o da un amministratore; altrimenti <code>403</code> con il motivo. Un riferimento è unico per l'ufficio che lo attribuisce
            (es. <code>1234/2026</code>); se lo stesso riferimento è visibile presso più uffici, indicare <code>caseOffice</code> (webhook) o{" "}
            <code>office</code>/<code>district</code> (API).
          </p>

          <h2 id="eventi">Catalogo degli eventi in ingresso</h2>
          <p>Ogni tipo accetta solo i campi indicati in <code>data</code>: nessun testo libero, dove finirebbero nomi e reati.</p>
          <table>
            <thead><tr><th scope="col">Tipo</th><th scope="col">Effetto</th><th scope="col">Campi di <code>data</code></th></tr></thead>
            <tbody>
              {inboundCatalogue().map((e) => (
                <tr id={`evento-${e.type}`}>
                  <td><code>{e.type}</code><br />{e.label}</td>
                  <td>{e.effects.length === 0 ? "—" : <ul>{e.effects.map((x) => <li>{x}</li>)}</ul>}</td>
                  <td>{e.fields.length === 0 ? "nessuno" : <ul>{e.fields.map((f) => <li><code>{f.name}</code>: {fieldText(f)}</li>)}</ul>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>Gli eventi che avviano uno scadenzario accettano anche <code>offices</code> (uffici per ruolo) e <code>jurisdiction</code> (sigla del distretto, es. TO).</p>

          <h2 id="scadenze">Che cosa comporta ogni scadenza</h2>
          <p>
            Per ogni fase: che cos'è la data (un termine per compiere l'atto, prorogato per i festivi secondo il regime; la fine di un periodo, una durata
            minima o una data minima, mai spostate) e che cosa prevede la legge se passa senza l'atto. Gli stessi dati sono in{" "}
            <code>GET /api/v1/timelines</code> e in ogni evento in uscita (<code>deadline.date</code>, <code>deadline.consequence</code>).
          </p>
          <table>
            <thead><tr><th scope="col">Scadenzario e fase</th><th scope="col">La data è</th><th scope="col">Se passa senza l'atto</th></tr></thead>
            <tbody>
              {latest().flatMap((t) => t.stages.map((s) => (
                <tr id={`fase-${t.id}-${s.id}`}>
                  <td>{displayTitle(t)}<br /><strong>{s.title}</strong></td>
                  <td>{DATE_KIND_LABELS[s.date]}</td>
                  <td><strong>{CONSEQUENCE_LABELS[s.consequence.kind]}</strong>: {consequenceLine(s.consequence)}</td>
                </tr>
              )))}
            </tbody>
          </table>

          <h2 id="riprove">Ripetizioni, riprove e reinvii</h2>
          <ul>
            <li>In ingresso: lo stesso <code>webhook-id</code> ripetuto, anche più volte insieme, riceve sempre la prima risposta (<code>Webhook-Replayed: true</code>) e non registra nulla; riprovate con lo stesso id ciò che non ha ricevuto risposta. Nell'API, la stessa <code>Idempotency-Key</code>.</li>
            <li>In uscita: ogni evento ha un <code>webhook-id</code> stabile (lo stesso a ogni tentativo e reinvio: deduplicate su di esso) ed è firmato di nuovo a ogni tentativo; l'ordine di consegna non è garantito (vedi «Ordine e sequenza»).</li>
            <li>Le consegne contemporanee a un endpoint non superano il parallelismo dell'abbonamento.</li>
          </ul>

          <IntegratorDocs env={c.env} />

          <h2 id="errori">Errori</h2>
          <table>
            <thead><tr><th scope="col">Stato</th><th scope="col">code</th><th scope="col">Significato</th></tr></thead>
            <tbody>
              {Object.entries(PROBLEMS).sort((a, b) => a[1].status - b[1].status).map(([code, p]) => <tr><td>{p.status}</td><td><code>{code}</code></td><td>{p.title}</td></tr>)}
            </tbody>
          </table>

          <h2 id="operazioni">Operazioni</h2>
          <table>
            <thead><tr><th scope="col">Metodo</th><th scope="col">Percorso</th><th scope="col">Descrizione</th><th scope="col">Risposte</th></tr></thead>
            <tbody>
              {ops.map((o) => (
                <tr><td>{o.method}</td><td><code>{o.path}</code></td><td>{o.summary}{Array.isArray(o.security) && o.security.length > 0 ? " (credenziale)" : ""}</td><td>{Object.keys(o.responses).join(", ")}</td></tr>
              ))}
            </tbody>
          </table>
        </main>
      </body>
    </html>,
  );
});
