/** The page frame: Italian, semantic, readable on a phone, no client framework. */
import type { Child } from "hono/jsx";

const CSS = `
:root{color-scheme:light;--ink:#1a1a1a;--muted:#4a4a4a;--line:#c8c8c8;--accent:#0b4f8a;--late:#a0001b;--soon:#7a4a00}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,sans-serif;color:var(--ink);background:#fff}
a{color:var(--accent)}a:focus,button:focus,input:focus,select:focus{outline:3px solid #f2b600;outline-offset:2px}
header,main,footer{max-width:60rem;margin:0 auto;padding:1rem}header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;border-bottom:1px solid var(--line)}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid var(--line);padding:.4rem;text-align:left;vertical-align:top}
.overdue{color:var(--late);font-weight:600}.soon{color:var(--soon);font-weight:600}.muted{color:var(--muted)}
button,.button{display:inline-block;margin:.25rem 0;text-decoration:none;font:inherit;padding:.5rem 1rem;border:2px solid var(--accent);background:var(--accent);color:#fff;border-radius:4px;cursor:pointer}
input,select{font:inherit;padding:.4rem;border:1px solid var(--muted);border-radius:4px;max-width:100%}
ol.timeline{list-style:none;padding-left:1rem;border-left:3px solid var(--line)}ol.timeline li{margin:0 0 1rem;padding-left:.75rem}
.counts{display:flex;gap:1rem;flex-wrap:wrap;padding:0;list-style:none}.counts li{border:1px solid var(--line);padding:.5rem 1rem;border-radius:4px}
@media (max-width:40rem){th,td{display:block;border:0;padding:.15rem .4rem}thead{display:none}tr{display:block;border-bottom:2px solid var(--line);padding:.4rem 0}td[data-label]::before{content:attr(data-label);font-weight:600;margin-right:.5rem}}
`;

export function Layout(props: { title: string; user?: { email: string; csrf: string; role?: string }; children: Child }) {
  return (
    <html lang="it">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} — Termini`}</title>
        <style>{CSS}</style>
      </head>
      <body>
        <a class="skip" href="#contenuto">Vai al contenuto</a>
        <header>
          <strong><a href="/">Termini</a></strong>
          {props.user && (
            <nav aria-label="Principale">
              <a href="/">Scadenze dell'ufficio</a> · <a href="/calendario">Calendario</a>
              {props.user.role === "admin" && <span> · <a href="/admin">Amministrazione</a></span>}
            </nav>
          )}
          {props.user && (
            <form method="post" action="/esci" style="margin-left:auto">
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
