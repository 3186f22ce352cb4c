/**
 * The pages' style sheets, served by the Worker itself (nothing from a CDN),
 * so that the Content-Security-Policy can forbid every inline style and script.
 */
import { Hono } from "hono";
import type { AppEnv } from "../env.js";

const TERMINI_CSS = `
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
.signout{margin-left:auto}
`;

const DOCS_CSS = `body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}code{background:#f2f2f2;padding:0 .2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}
`;

/** The pages' only script: "Copia" buttons copy the field they name (data-copy). Served, never inline. */
const TERMINI_JS = `document.addEventListener("click", (e) => {
  const b = e.target.closest("button[data-copy]");
  if (!b) return;
  const field = document.getElementById(b.dataset.copy);
  if (!field) return;
  navigator.clipboard.writeText(field.value).then(() => { b.textContent = "Copiato"; }, () => { field.select(); });
});
`;

export const assets = new Hono<AppEnv>();

const sheet = (css: string) => () =>
  new Response(css, { headers: { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=3600" } });

assets.get("/assets/termini.css", sheet(TERMINI_CSS));
assets.get("/assets/docs.css", sheet(DOCS_CSS));
assets.get("/assets/termini.js", () =>
  new Response(TERMINI_JS, { headers: { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "public, max-age=3600" } }));
