/**
 * The pages' style sheets, fonts, icons and script, served by the Worker itself (nothing from a
 * CDN: offices' networks and the Content-Security-Policy forbid it).
 *
 * Bootstrap Italia, the Designers Italia implementation every PA service uses, comes from the pinned
 * npm package through the Worker's static assets (wrangler.jsonc `assets`); only the files named
 * here are reachable. Its own font loader injects an inline <style>, which our CSP refuses, so the
 * @font-face rules are a sheet of ours pointing at the package's WOFF2 files.
 */
import { createRouter } from "../http/router.js";

/** Bootstrap Italia files the pages use, as paths under the package's dist folder. */
const BOOTSTRAP_ITALIA = /^\/assets\/bi\/(css\/bootstrap-italia\.min\.css|svg\/sprites\.svg|fonts\/(?:Titillium_Web|Roboto_Mono)\/[a-z0-9_-]+\.woff2)$/;

const FONT_DIR = "/assets/bi/fonts";
const face = (family: string, file: string, weight: number) =>
  `@font-face{font-family:"${family}";font-style:normal;font-weight:${weight};font-display:swap;src:url("${FONT_DIR}/${file}.woff2") format("woff2")}`;

const FONTS_CSS = [
  ...[[300, "300"], [400, "regular"], [600, "600"], [700, "700"]].map(([w, n]) =>
    face("Titillium Web", `Titillium_Web/titillium-web-v10-latin-ext_latin-${n}`, Number(w))),
  face("Roboto Mono", "Roboto_Mono/roboto-mono-v13-latin-ext_latin-regular", 400),
].join("\n");

/**
 * What Bootstrap Italia leaves to us: muted text, tables that stack on a phone, a wrapping menu; its
 * timeline kept in one column on every width (it alternates sides from 992 px, which a single list of
 * events cannot use), and its card text in the served sans-serif (it asks for Lora, which is not served).
 */
const TERMINI_CSS = `pre.wrap{white-space:pre-wrap;overflow-wrap:anywhere}

.muted{color:#5c6f82}
.it-header-wrapper .it-nav-wrapper .it-header-navbar-wrapper{position:static;margin-top:0;background:#06c}
.it-header-navbar-wrapper .navbar-nav{flex-wrap:wrap;flex-direction:row}
.it-header-navbar-wrapper .navbar .navbar-nav .nav-link{padding:.75rem 1rem;color:#fff}
.it-header-navbar-wrapper .navbar .navbar-nav .nav-link.active{font-weight:700;text-decoration:underline;text-underline-offset:.4rem;text-decoration-thickness:3px}
.it-header-slim-wrapper-content{flex-wrap:wrap}.it-header-slim-wrapper .signout{display:flex;gap:.5rem;align-items:center;margin:0}
.it-header-slim-wrapper .signout .user{color:#fff;font-size:.875rem;overflow-wrap:anywhere}
.skiplinks{position:absolute;top:0;left:0;right:0;z-index:1050}
.table td{overflow-wrap:break-word}
[data-error-summary]:focus{box-shadow:none;outline:3px solid #cc334d;outline-offset:2px}
.counts a{text-decoration:none}.counts a .label{text-decoration:underline}
main.container{padding-top:1.5rem;padding-bottom:2.5rem}
.form-group label{position:static;transform:none;padding:0;font-weight:600;color:#1a1a1a}
.counts{display:flex;gap:1rem;flex-wrap:wrap;padding:0;list-style:none}.counts li{padding:.25rem 0}
.it-timeline-wrapper .card .card-body .card-text,.callout{font-family:"Titillium Web",Geneva,Tahoma,sans-serif}
.callout{margin-top:0;max-width:none}
@media (min-width:992px){.it-timeline-wrapper .row:after{left:40px}.it-timeline-wrapper .col-12:nth-child(n) .timeline-element{left:0;padding:18px 18px 18px 40px;width:auto}.it-timeline-wrapper .col-12:nth-child(n) .card-wrapper .card{text-align:left}.it-timeline-wrapper .col-12:nth-child(n) .it-pin-wrapper{flex-direction:row;left:6px;right:auto}.it-timeline-wrapper .col-12:nth-child(n) .it-pin-wrapper .pin-icon{margin-right:16px;margin-left:0}.it-timeline-wrapper .col-12:nth-child(n) .it-pin-wrapper .pin-text span:after{left:-4px;right:auto}}
.it-timeline-wrapper .timeline-element{width:auto}.it-timeline-wrapper .row{padding-top:32px;margin:0}.it-timeline-wrapper .card-body{padding:.5rem 0}
@media (max-width:40rem){.table-stack,.table-stack tbody,.table-stack caption{display:block}.table-stack th,.table-stack td{display:block;border:0;padding:.15rem .4rem}.table-stack thead{display:none}.table-stack tr{display:block;border-bottom:2px solid #d9dadb;padding:.4rem 0}.table-stack td[data-label]::before{content:attr(data-label);font-weight:600;margin-right:.5rem}}
`;

/** A calendar page in the header's blue, with a tick: the tab and the bookmarks show Termini. */
const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect x="3" y="5" width="26" height="24" rx="3" fill="#0066cc"/><rect x="3" y="5" width="26" height="7" rx="3" fill="#004d99"/><path d="M9 20l4 4 10-10" stroke="#fff" stroke-width="3" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

const DOCS_CSS = `body{font-family:"Titillium Web",Geneva,Tahoma,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}code{background:#f2f2f2;padding:0 .2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}pre{background:#f2f2f2;padding:.5rem;overflow-x:auto}pre code{padding:0}
`;

/** The pages' only script: "Copia" buttons copy the field they name (data-copy). Served, never inline. */
const TERMINI_JS = `// A refused form: the summary of its errors takes the focus (the script is deferred: the page is parsed).
const summary = document.querySelector("[data-error-summary]");
if (summary) summary.focus();
document.addEventListener("click", (e) => {
  const b = e.target.closest("button[data-copy]");
  if (!b) return;
  const field = document.getElementById(b.dataset.copy);
  if (!field) return;
  navigator.clipboard.writeText(field.value).then(() => { b.textContent = "Copiato"; }, () => { field.select(); });
});
`;

export const assets = createRouter();

const served = (body: string, type: string) => () =>
  new Response(body, { headers: { "Content-Type": `${type}; charset=utf-8`, "Cache-Control": "public, max-age=3600" } });

assets.get("/assets/termini.css", served(TERMINI_CSS, "text/css"));
assets.get("/assets/favicon.svg", served(FAVICON, "image/svg+xml"));
assets.get("/favicon.ico", (c) => c.redirect("/assets/favicon.svg", 301));
assets.get("/assets/fonts.css", served(FONTS_CSS, "text/css"));
assets.get("/assets/docs.css", served(DOCS_CSS, "text/css"));
assets.get("/assets/termini.js", served(TERMINI_JS, "text/javascript"));

assets.get("/assets/bi/*", async (c) => {
  const file = BOOTSTRAP_ITALIA.exec(new URL(c.req.url).pathname)?.[1];
  if (file === undefined) return c.notFound();
  const found = await c.env.ASSETS.fetch(new URL(`/${file}`, c.req.url));
  if (!found.ok) return c.notFound();
  // The package is pinned: a file's content changes only with its version, so browsers may keep it a day.
  return new Response(found.body, { headers: { "Content-Type": found.headers.get("Content-Type") ?? "application/octet-stream", "Cache-Control": "public, max-age=86400" } });
});
