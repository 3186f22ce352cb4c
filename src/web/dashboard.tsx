/**
 * The office dashboard: open deadlines soonest first, overdue and due within 48 hours marked, the
 * counts linking to each band, filtered by band and timeline. A head of office reads first the
 * escalations sent to them, then the deadlines of the offices they oversee.
 */
import { centralDb } from "../db/districts.js";
import { escalationsAcross, openDeadlinesAcross } from "../domain/districts/district-reads.js";
import { ESCALATION_DAYS, HeadEscalations } from "./head-escalations.js";
import { directory } from "../db/directory.js";
import { displayTitle, enabledBills, getTimeline, isEnabled, latest } from "../timelines/catalog.js";
import { endsAtExactInstant } from "../timelines/stage-term.js";
import { CONSEQUENCE_LABELS, TO_VERIFY, consequenceLine } from "../timelines/consequence.js";
import { closeness, romeDateTime } from "./format.js";
import { webCasePath } from "../lib/case-link.js";
import { Layout, reportsFirst } from "./layout.js";
import { requireUser } from "./session.js";
import { createRouter } from "../http/router.js";

/** Bootstrap Italia badge colours for how close a deadline is. */
const TONE = { overdue: "bg-danger", soon: "bg-warning", later: "bg-secondary" } as const;

export const dashboard = createRouter();

const SOON_MS = 48 * 3_600_000;
/** The status filter: its value in the address, and what the select says. */
const BANDS = [["scadute", "Scadute"], ["entro-48-ore", "Entro 48 ore"], ["in-seguito", "In seguito"]] as const;
const STATE_BAND = { "scadute": "overdue", "entro-48-ore": "soon", "in-seguito": "later" } as const;
/** The nearest deadlines shown (each office's walk stops there too). */
const PAGE = 500;
const capital = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);

dashboard.get("/", requireUser, async (c) => {
  const now = Date.now();
  const user = c.get("user");
  if (reportsFirst(user.role)) return c.redirect("/relazioni", 303);
  if (user.role === "dpo") return c.redirect("/admin/registro", 303);
  // A head of office also oversees the offices that escalate to it.
  const own = [...user.principal.offices];
  const dir = await directory(centralDb(c.env));
  const mine = user.role === "head" ? [...new Set([...own, ...dir.below(own)])] : own;
  const filter = c.req.query("scadenzario");
  // The filter offers only timelines these offices can have, and only those this deployment runs.
  const kinds = new Set([...dir.getMany(mine).values()].map((o) => o.kind));
  const bills = enabledBills(c.env.ENABLED_BILLS);
  const choices = latest().filter((t) => isEnabled(t, bills) && Object.values(t.roles).some((k) => kinds.has(k)));
  const seen = {
    actor: user.principal.id, action: "deadlines.listed", requestId: c.get("requestId"),
    reason: user.role === "head" ? "gestione delle scadenze del proprio ufficio e vigilanza su quelle degli uffici sottoposti" : "gestione delle scadenze dei propri uffici",
  };
  const [all, escalations] = await Promise.all([
    openDeadlinesAcross(c.env, dir, mine, filter || undefined, PAGE, seen, now),
    user.role === "head" ? escalationsAcross(c.env, dir, own, now - ESCALATION_DAYS * 86_400_000, 100, seen, now) : Promise.resolve(undefined),
  ]);
  const stato = BANDS.find(([b]) => b === c.req.query("stato"))?.[0];
  // The page shows the nearest PAGE deadlines: beyond them the counts would be partial, and say so.
  const partial = all.length === PAGE;
  const band = (dueAtMs: number) => (dueAtMs < now ? "overdue" : dueAtMs - now <= SOON_MS ? "soon" : "later");
  const counts = { overdue: 0, soon: 0, later: 0 };
  for (const r of all) counts[band(r.d.dueAtMs)]++;
  const rows = stato === undefined ? all : all.filter((r) => band(r.d.dueAtMs) === STATE_BAND[stato]);
  const link = (s: string | undefined) => `/?${new URLSearchParams([...(s ? [["stato", s]] : []), ...(filter ? [["scadenzario", filter]] : [])]).toString()}`;
  // One office's rows do not repeat its name on each line.
  const oneOffice = new Set(rows.map((r) => r.office)).size === 1;
  return c.html(
    <Layout title={user.role === "head" ? "Scadenze degli uffici" : "Scadenze dell'ufficio"} user={user} current="/">
      {escalations !== undefined && <HeadEscalations rows={escalations} now={now} />}
      {escalations !== undefined && <h2 class="h4">Scadenze degli uffici che dirige</h2>}
      <ul class="counts" aria-label="Riepilogo">
        <li><a href={link("scadute")}><span class="badge bg-danger">{counts.overdue}</span> <span class="label">{counts.overdue === 1 ? "scaduta" : "scadute"}</span></a></li>
        <li><a href={link("entro-48-ore")}><span class="badge bg-warning">{counts.soon}</span> <span class="label">entro 48 ore</span></a></li>
        <li><a href={link("in-seguito")}><span class="badge bg-secondary">{partial ? `${counts.later}+` : counts.later}</span> <span class="label">in seguito</span></a></li>
      </ul>
      <form method="get" action="/" class="d-flex flex-wrap gap-3 align-items-end mb-4">
        <div class="select-wrapper">
          <label for="stato">Stato</label>
          <select id="stato" name="stato">
            <option value="">Tutte le aperte</option>
            {BANDS.map(([v, label]) => <option value={v} selected={v === stato}>{label}</option>)}
          </select>
        </div>
        <div class="select-wrapper">
          <label for="scadenzario">Scadenzario</label>
          <select id="scadenzario" name="scadenzario">
            <option value="">Tutti</option>
            {choices.map((t) => <option value={t.id} selected={t.id === filter}>{displayTitle(t)}</option>)}
          </select>
        </div>
        <button type="submit" class="btn btn-outline-primary">Filtra</button>
      </form>
      {rows.length === 0 ? <p>{stato === undefined && !filter ? "Nessuna scadenza aperta." : "Nessuna scadenza aperta con questi filtri."}</p> : (
        <table class="table table-stack">
          <caption class="muted">
            {partial ? `Le ${PAGE} scadenze aperte più vicine` : stato === undefined ? "Scadenze aperte, dalla più vicina" : `Scadenze aperte: ${BANDS.find(([b]) => b === stato)![1].toLowerCase()}, dalla più vicina`}{oneOffice ? ` — ${rows[0]!.office}` : ""}
            {partial && ": i conteggi sopra riguardano solo queste; le successive compaiono man mano che queste si chiudono."}
          </caption>
          <thead><tr><th scope="col">Stato</th><th scope="col">Scadenza</th><th scope="col">Procedimento</th><th scope="col">Fase</th>{!oneOffice && <th scope="col">Ufficio</th>}</tr></thead>
          <tbody>
            {rows.map((r) => {
              const b = band(r.d.dueAtMs);
              const def = getTimeline(r.timeline, r.version);
              const stage = def?.stages.find((s) => s.id === r.d.stage);
              const exact = stage !== undefined && endsAtExactInstant(stage);
              return (
                <tr>
                  <td data-label="Stato"><span class={`badge ${TONE[b]}`}>{capital(closeness(r.d.dueAtMs, now, exact))}</span></td>
                  <td data-label="Scadenza" class="text-nowrap"><time datetime={r.d.dueAt}>{romeDateTime(r.d.dueAt)}</time></td>
                  {/* A periodic obligation (a report, a transmission of data) is not a proceeding: said so, its code below. */}
                  <td data-label="Procedimento" class="text-nowrap">{def?.schedule === undefined
                    ? <a href={webCasePath(r.ref, r.owner)}>{r.ref}</a>
                    : <><a href={webCasePath(r.ref, r.owner)}>Adempimento periodico</a><br /><span class="small muted">{r.ref}</span></>}</td>
                  <td data-label="Fase">{stage?.title ?? r.d.stage}{stage !== undefined && (
                    <><br /><span class="small muted" title={consequenceLine(stage.consequence)}>{b === "overdue" ? "Scaduta: " : "Se scade: "}{CONSEQUENCE_LABELS[stage.consequence.kind]}{stage.consequence.unverified ? ` (${TO_VERIFY})` : ""}</span></>
                  )}</td>
                  {!oneOffice && <td data-label="Ufficio">{r.office}</td>}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Layout>,
  );
});
