/** The page frame: Italian, semantic, readable on a phone, no client framework. */
import type { Child } from "hono/jsx";


export function Layout(props: { title: string; user?: { email: string; csrf: string; role?: string }; children: Child }) {
  return (
    <html lang="it">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} — Termini`}</title>
        <link rel="stylesheet" href="/assets/termini.css" />
        <script src="/assets/termini.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#contenuto">Vai al contenuto</a>
        <header>
          <strong><a href="/">Termini</a></strong>
          {props.user && (
            <nav aria-label="Principale">
              <a href="/">Scadenze dell'ufficio</a> · <a href="/calendario">Calendario</a> · <a href="/relazioni">Relazioni</a>
              {props.user.role === "admin" && <span> · <a href="/admin">Amministrazione</a></span>}
            </nav>
          )}
          {props.user && (
            <form method="post" action="/esci" class="signout">
              <span class="muted">{props.user.email} </span>
              <input type="hidden" name="csrf" value={props.user.csrf} />
              <button type="submit">Esci</button>
            </form>
          )}
        </header>
        <main id="contenuto">
          <h1>{props.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}
