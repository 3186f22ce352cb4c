/** /openapi.json and a readable docs page built from it, in Italian, with no outside assets. */
import { Hono } from "hono";
import type { AppEnv } from "../env.js";
import { openApiDocument } from "./openapi-document.js";

export const docs = new Hono<AppEnv>();

docs.get("/openapi.json", (c) => c.json(openApiDocument()));

docs.get("/docs", (c) => {
  const doc = openApiDocument();
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods as Record<string, { summary: string; responses: Record<string, unknown>; security?: unknown }>).map(
      ([method, op]) => ({ path, method: method.toUpperCase(), ...op }),
    ),
  );
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
            Specifica completa: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Errori in formato{" "}
            <code>application/problem+json</code> con <code>code</code> stabile e <code>requestId</code>.
          </p>
          <h2>Webhook firmati</h2>
          <p>
            Intestazioni <code>webhook-id</code>, <code>webhook-timestamp</code> (secondi Unix, tolleranza 5 minuti) e{" "}
            <code>webhook-signature</code>: <code>v1,</code> seguito dalla HMAC-SHA256 in base64 di{" "}
            <code>id.timestamp.corpo</code>, con la chiave base64 che segue <code>whsec_</code>. Lo stesso{" "}
            <code>webhook-id</code> ripetuto, anche più volte insieme, riceve sempre la prima risposta.
          </p>
          <h2>Chi registra un evento</h2>
          <p>
            Un evento è accettato solo dall'ufficio che deve compiere l'atto (o da un ufficio sovraordinato nella sua catena),
            da un mittente autorizzato per quel tipo di evento, o da un amministratore; altrimenti <code>403</code> con il motivo.
            Gli uffici indicati in <code>data.offices</code> devono appartenere al distretto del mittente.
          </p>
          <h2>Riferimenti dei procedimenti</h2>
          <p>
            Un riferimento è unico per l'ufficio che lo attribuisce (ad es. il numero RGNR di ciascuna Procura) e deve rispettarne il
            formato (predefinito: numero/anno, es. <code>1234/2026</code>). Un procedimento non visibile risponde <code>404</code> come uno
            inesistente; se lo stesso riferimento è visibile presso più uffici, indicare <code>office</code> o <code>district</code>
            (risposta <code>409 ambiguous_case</code>).
          </p>
          <h2>Operazioni</h2>
          <table>
            <thead><tr><th scope="col">Metodo</th><th scope="col">Percorso</th><th scope="col">Descrizione</th><th scope="col">Risposte</th></tr></thead>
            <tbody>
              {ops.map((o) => (
                <tr><td>{o.method}</td><td><code>{o.path}</code></td><td>{o.summary}{o.security ? " (token)" : ""}</td><td>{Object.keys(o.responses).join(", ")}</td></tr>
              ))}
            </tbody>
          </table>
        </main>
      </body>
    </html>,
  );
});
