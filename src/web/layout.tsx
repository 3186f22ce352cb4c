/**
 * The page frame in Bootstrap Italia's header, navigation and footer: Italian, semantic, readable
 * on a phone, no client framework (the navigation wraps instead of collapsing behind a script).
 */
import type { Child } from "hono/jsx";

const SPRITES = "/assets/bi/svg/sprites.svg";

/** A Bootstrap Italia icon from the served sprite; decorative unless given a title. */
export function Icon(props: { name: string; class?: string; title?: string }) {
  return (
    <svg class={`icon ${props.class ?? ""}`.trim()} aria-hidden={props.title ? undefined : "true"} role={props.title ? "img" : undefined}>
      {props.title && <title>{props.title}</title>}
      <use href={`${SPRITES}#${props.name}`}></use>
    </svg>
  );
}

type User = { email: string; csrf: string; role?: string; name?: string | null; officeNames?: string[] };

/**
 * The administration that runs the deployment (ADMINISTRATION_NAME), for the header and footer.
 * Set from the environment by the web middleware before any page renders: a deployment has one,
 * the same for every request, so a module value is safe where threading it through every page
 * would not add anything.
 */
let administration = "Ministero della Giustizia";
export function setAdministration(name: string): void {
  administration = name;
}
export const administrationName = (): string => administration;

/** Bootstrap Italia's breadcrumb: the pages above this one, then this one. */
function Crumbs(props: { crumbs: Array<[string, string]>; title: string }) {
  return (
    <nav class="breadcrumb-container" aria-label="Percorso di navigazione">
      <ol class="breadcrumb">
        {props.crumbs.map(([href, text]) => <li class="breadcrumb-item"><a href={href}>{text}</a><span class="separator">/</span></li>)}
        <li class="breadcrumb-item active" aria-current="page">{props.title}</li>
      </ol>
    </nav>
  );
}

/** Regional and ministry officers have reports, not an office's deadlines: they land on Relazioni. */
export const reportsFirst = (role: string | undefined): boolean => role === "region" || role === "ministry";

function Navigation(props: { user: User; current?: string }) {
  // The data-protection officer reads the audit log and nothing else.
  const links: Array<[string, string]> = props.user.role === "dpo" ? [["/admin/registro", "Registro degli accessi"]] : [
    ...(reportsFirst(props.user.role) ? [] : [["/", props.user.role === "head" ? "Scadenze degli uffici" : "Scadenze dell'ufficio"] as [string, string]]), ["/calendario", "Calendario"], ["/relazioni", "Relazioni"],
  ];
  if (props.user.role === "operator" || props.user.role === "head") links.push(["/webhook", "Webhook"]);
  if (props.user.role === "admin") links.push(["/admin", "Amministrazione"]);
  return (
    <div class="it-header-navbar-wrapper">
      <div class="container">
        <nav class="navbar navbar-expand" aria-label="Principale">
          <ul class="navbar-nav">
            {links.map(([href, text]) => (
              <li class="nav-item">
                <a class={`nav-link${href === props.current ? " active" : ""}`} href={href} aria-current={href === props.current ? "page" : undefined}><span>{text}</span></a>
              </li>
            ))}
          </ul>
        </nav>
      </div>
    </div>
  );
}

/**
 * `current`: the navigation entry this page is (marked for the reader and for assistive technology);
 * `crumbs`: the pages above an inner page, for its breadcrumb.
 */
export function Layout(props: { title: string; user?: User; current?: string; crumbs?: Array<[string, string]>; children: Child }) {
  const who = props.user === undefined ? undefined : props.user.name ?? props.user.email;
  const where = props.user?.officeNames?.join(", ");
  return (
    <html lang="it">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} — Termini`}</title>
        <link rel="stylesheet" href="/assets/bi/css/bootstrap-italia.min.css" />
        <link rel="stylesheet" href="/assets/fonts.css" />
        <link rel="stylesheet" href="/assets/termini.css" />
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        <script src="/assets/termini.js" defer></script>
      </head>
      <body>
        <div class="skiplinks"><a class="visually-hidden-focusable" href="#contenuto">Vai al contenuto</a></div>
        <header class="it-header-wrapper">
          <div class="it-header-slim-wrapper">
            <div class="container">
              <div class="it-header-slim-wrapper-content">
                <span class="navbar-brand">{administration}</span>
                {props.user && (
                  <form method="post" action="/esci" class="signout ms-auto">
                    <span class="user"><strong>{who}</strong><span class="d-none d-lg-inline">{where ? ` · ${where}` : ""}</span></span>
                    <input type="hidden" name="csrf" value={props.user.csrf} />
                    <button type="submit" class="btn btn-primary btn-sm btn-icon">
                      <Icon name="it-logout" class="icon-white icon-sm" /><span>Esci</span>
                    </button>
                  </form>
                )}
              </div>
            </div>
          </div>
          <div class="it-nav-wrapper">
            <div class="it-header-center-wrapper it-small-header">
              <div class="container">
                <div class="it-header-center-content-wrapper">
                  <div class="it-brand-wrapper">
                    <a href="/">
                      <Icon name="it-calendar" />
                      <div class="it-brand-text">
                        <div class="it-brand-title">Termini</div>
                        <div class="it-brand-tagline d-none d-md-block">I termini dei procedimenti, calcolati e ricordati agli uffici</div>
                      </div>
                    </a>
                  </div>
                </div>
              </div>
            </div>
            {props.user && <Navigation user={props.user} current={props.current} />}
          </div>
        </header>
        <main id="contenuto" class="container">
          {props.crumbs !== undefined && <Crumbs crumbs={props.crumbs} title={props.title} />}
          <h1>{props.title}</h1>
          {props.children}
        </main>
        <footer class="it-footer">
          <div class="it-footer-main">
            <div class="container py-4">
              <p class="h5 text-white mb-1">{administration}</p>
              <p class="text-white mb-0">Termini · i termini di legge dei procedimenti per violenza di genere e domestica. Nessun dato personale nei messaggi; ogni accesso è registrato.</p>
            </div>
          </div>
          <div class="it-footer-small-prints clearfix">
            <div class="container">
              <ul class="it-footer-small-prints-list list-inline mb-0 d-flex flex-column flex-md-row">
                <li class="list-inline-item"><a href="/accessibilita">Dichiarazione di accessibilità</a></li>
                <li class="list-inline-item"><a href="/privacy">Privacy</a></li>
                <li class="list-inline-item"><a href="/note-legali">Note legali</a></li>
              </ul>
            </div>
          </div>
        </footer>
      </body>
    </html>
  );
}
