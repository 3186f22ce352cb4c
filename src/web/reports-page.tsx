/**
 * GET /relazioni — the reports a signed-in officer may read: every period
 * begun for each of their scopes (the Ministry: the national report and
 * every region's; a region officer: their region's; a Procura: its quarterly
 * compliance data; a PG: the district's half-yearly report), each with its
 * downloads, its versions (snapshot time, checksum, filed or not), a new
 * version on request and, for the responsible office, filing.
 */
import type { Context } from "hono";
import type { AppEnv } from "../env.js";
import { caseDbs, centralDb, districtDb } from "../db/districts.js";
import { getOffices } from "../db/directory.js";
import { findReport, listVersions, transmittedReport } from "../db/reports.js";
import { offices } from "../db/schema.js";
import { generateReport } from "../domain/reports/report-files.js";
import { WITHDRAWAL_WINDOW_MS, assertMayWithdraw, assertPeriodEnded, submitReport, withdrawReport } from "../domain/reports/report-transmission.js";
import { reportScope } from "../domain/reports/report-access.js";
import { formatRomeInstant } from "../engine/rome.js";
import { ApiError } from "../http/problem.js";
import { readForm } from "../http/body.js";
import { REPORT_KINDS, type ReportKind, buildReport, periodEnd, periodMonths } from "../stats/report.js";
import { italianDate } from "../engine/civil.js";
import { romeDay } from "../engine/rome.js";
import { confirmTransmission, confirmWithdrawal, versionName } from "./report-transmit.js";
import { Alert } from "./ui.js";
import { enabledBills } from "../timelines/catalog.js";
import { wakeAll } from "../workflows/wake.js";
import { romeDateTime } from "./format.js";
import { Layout } from "./layout.js";
import { checkCsrf, requireUser } from "./session.js";
import { createRouter } from "../http/router.js";

export const reportsPage = createRouter();

const TITLES: Record<ReportKind, string> = {
  national: "Relazione nazionale", regional: "Relazione regionale",
  "compliance-quarterly": "Dati trimestrali sul rispetto dei termini dell'art. 362-bis", "compliance-half-yearly": "Relazione semestrale del Procuratore generale",
};
const SCOPE_PARAM: Record<ReportKind, "region" | "office" | "district" | undefined> = {
  national: undefined, regional: "region", "compliance-quarterly": "office", "compliance-half-yearly": "district",
};

/** Periods of a kind that have begun, newest first: years since 2024, the last 8 quarters, the last 4 half-years. */
export function periodsBegun(kind: ReportKind, now: number): string[] {
  const [y, m] = formatRomeInstant(now).slice(0, 7).split("-").map(Number) as [number, number];
  if (kind === "national" || kind === "regional") return Array.from({ length: y - 2023 }, (_, i) => String(y - i));
  const per = kind === "compliance-quarterly" ? 3 : 6;
  const count = kind === "compliance-quarterly" ? 8 : 4;
  const out: string[] = [];
  for (let k = 0, idx = y * (12 / per) + Math.floor((m - 1) / per); k < count; k++, idx--) {
    const year = Math.floor(idx / (12 / per));
    out.push(`${year}-${per === 3 ? "Q" : "H"}${(idx % (12 / per)) + 1}`);
  }
  return out;
}

/** Each kind and scope this user may read. */
async function scopesOf(c: Context<AppEnv>): Promise<{ kind: ReportKind; scope: string; label: string }[]> {
  const db = centralDb(c.env);
  const p = c.get("user").principal;
  const mine = [...(await getOffices(db, [...p.offices])).values()];
  const out: { kind: ReportKind; scope: string; label: string }[] = [];
  if (p.role === "admin" || p.role === "ministry") {
    out.push({ kind: "national", scope: "IT", label: "Italia" });
    const regions = [...new Set((await db.select({ r: offices.region }).from(offices).all()).map((o) => o.r).filter(Boolean))].sort();
    for (const r of regions) out.push({ kind: "regional", scope: r, label: r });
  } else if (p.role === "region" && p.region) {
    out.push({ kind: "regional", scope: p.region, label: p.region });
  }
  for (const o of mine.filter((x) => x.kind === "procura")) out.push({ kind: "compliance-quarterly", scope: o.id, label: o.name });
  for (const o of mine.filter((x) => x.kind === "pg-appello")) out.push({ kind: "compliance-half-yearly", scope: o.jurisdiction, label: o.name });
  return out;
}

/** The tables a report of this kind has: their set depends on the kind, not on the period or the data. */
const tablesOf = (kind: ReportKind, period: string | undefined) => (period === undefined ? [] : buildReport(kind, period, "", [], [], 0)?.tables ?? []);

const download = (kind: ReportKind, period: string, scope: string, format: string) => {
  const param = SCOPE_PARAM[kind];
  return `/api/v1/reports/${kind}/${period}?format=${format}${param ? `&${param}=${encodeURIComponent(scope)}` : ""}`;
};

reportsPage.get("/relazioni", requireUser, async (c) => {
  const db = centralDb(c.env);
  const user = c.get("user");
  const now = Date.now();
  const scopes = await scopesOf(c);
  // After a transmission: which version of which report went (only a report this user sees).
  const done = (param: string) => {
    const [sk, sp, ss, sv] = (c.req.query(param) ?? "").split("/");
    const shown = scopes.find((x) => x.kind === sk && x.scope === ss);
    return shown === undefined || sp === undefined || periodMonths(shown.kind, sp) === undefined || !/^\d{1,6}$/.test(sv ?? "")
      ? undefined : { kind: shown.kind, label: shown.label, period: sp, version: Number(sv) };
  };
  const sent = done("trasmessa");
  const withdrawn = done("ritirata");
  // The Ministry sees twenty regions: the national report first, then the one region chosen.
  const regions = scopes.filter((s) => s.kind === "regional");
  const chooses = regions.length > 1;
  const chosen = chooses ? regions.find((r) => r.scope === c.req.query("regione")) : undefined;
  const visible = chooses ? scopes.filter((s) => s.kind !== "regional" || s === chosen) : scopes;
  const sections = await Promise.all(visible.map(async (s) => {
    const begun = periodsBegun(s.kind, now);
    return {
      ...s,
      periods: await Promise.all(begun.map(async (period) => ({ period, versions: await listVersions(db, s.kind, period, s.scope) }))),
      tables: tablesOf(s.kind, begun[0]),
    };
  }));
  return c.html(
    <Layout title="Relazioni" user={user} current="/relazioni">
      {sent !== undefined && <Alert tone="success">{TITLES[sent.kind]} — {sent.label}, {periodMonths(sent.kind, sent.period)!.label}: versione {sent.version} trasmessa.
        Se è stato un errore, può ritirare la trasmissione entro {WITHDRAWAL_WINDOW_MS / 3_600_000} ore.</Alert>}
      {withdrawn !== undefined && <Alert tone="success">{TITLES[withdrawn.kind]} — {withdrawn.label}, {periodMonths(withdrawn.kind, withdrawn.period)!.label}: la trasmissione
        della versione {withdrawn.version} è stata ritirata; l'adempimento è di nuovo aperto.</Alert>}
      {sections.length === 0 && <p>Nessuna relazione per i suoi uffici.</p>}
      {sections.map((s) => (<>
        <section aria-label={`${TITLES[s.kind]} — ${s.label}`}>
          <h2>{TITLES[s.kind]} — {s.label}</h2>
          <table class="table table-stack">
            <thead><tr><th scope="col">Periodo</th><th scope="col">Scarica</th><th scope="col">Versioni</th><th scope="col">Azioni</th></tr></thead>
            <tbody>
              {s.periods.map(({ period, versions }) => (
                <tr>
                  <td>{periodMonths(s.kind, period)!.label}</td>
                  <td>
                    <ul class="list-unstyled mb-0">
                      <li><a href={download(s.kind, period, s.scope, "pdf")}>PDF</a> · <a href={download(s.kind, period, s.scope, "zip")}>ZIP (tutte le tabelle CSV)</a> · <a href={download(s.kind, period, s.scope, "json")}>JSON</a></li>
                      <li>CSV: {s.tables.map((t, i) => <span>{i > 0 && " · "}<a href={`${download(s.kind, period, s.scope, "csv")}&table=${t.id}`}>{t.title}</a></span>)}</li>
                    </ul>
                  </td>
                  <td>
                    {versions.length === 0 ? <span class="muted">nessuna versione ancora: la prima si genera al primo scaricamento</span> : versions.map((v) => (
                      <div>{versionName(v, v.snapshotAt < (periodEnd(s.kind, period) ?? 0))}{v.submittedAt !== null ? `, trasmessa il ${romeDateTime(v.submittedAt)}` : ""}
                        {v.submittedAt === null && v.withdrawnAt !== null ? `, trasmissione ritirata il ${romeDateTime(v.withdrawnAt)}` : ""}
                        <details class="small"><summary>Impronta</summary><code>sha256:{v.checksum}</code></details>
                      </div>
                    ))}
                  </td>
                  <td>
                    <form method="post" action="/relazioni">
                      <input type="hidden" name="csrf" value={user.csrf} />
                      <input type="hidden" name="kind" value={s.kind} /><input type="hidden" name="period" value={period} /><input type="hidden" name="scope" value={s.scope} />
                      <button type="submit" class="btn btn-outline-primary btn-sm me-1" name="azione" value="genera">Genera una nuova versione</button>{" "}
                      {versions.length > 0 && versions[0]!.submittedAt === null && (now >= (periodEnd(s.kind, period) ?? 0)
                        ? <button type="submit" class="btn btn-outline-primary btn-sm me-1" name="azione" value="trasmetti">Trasmetti…</button>
                        : <span class="small muted d-block mt-1">Periodo in corso: si potrà trasmettere dal {italianDate(romeDay(periodEnd(s.kind, period)!))}.</span>)}
                      {versions.some((v) => v.submittedBy === user.principal.id && v.submittedAt !== null && now - v.submittedAt <= WITHDRAWAL_WINDOW_MS) && (
                        <button type="submit" class="btn btn-outline-danger btn-sm me-1" name="azione" value="ritira">Ritira la trasmissione…</button>
                      )}
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {s.kind === "national" && chooses && <RegionChoice regions={regions.map((r) => r.scope)} chosen={chosen?.scope} />}
      </>))}
    </Layout>,
  );
});

/** A GET form: the chosen region is in the address, so it can be bookmarked and survives a reload. */
function RegionChoice({ regions, chosen }: { regions: string[]; chosen: string | undefined }) {
  return (
    <section aria-labelledby="relazioni-regionali">
      <h2 id="relazioni-regionali">Relazioni regionali</h2>
      <form method="get" action="/relazioni" class="row g-2 align-items-end mb-4">
        <div class="col-sm-6 col-md-4">
          <label for="regione" class="form-label">Regione</label>
          <select id="regione" name="regione" class="form-select">
            {chosen === undefined && <option value="">Scelga una regione</option>}
            {regions.map((r) => <option value={r} selected={r === chosen}>{r}</option>)}
          </select>
        </div>
        <div class="col-auto"><button type="submit" class="btn btn-outline-primary">Mostra le relazioni della regione</button></div>
      </form>
      {chosen === undefined && <p>Scelga una regione per vederne le relazioni, le versioni e le trasmissioni.</p>}
    </section>
  );
}

reportsPage.post("/relazioni", requireUser, async (c) => {
  const now = Date.now();
  const user = c.get("user");
  const form = await readForm(c.req.raw);
  checkCsrf(user.csrf, form.csrf);
  const kind = String(form.kind ?? "") as ReportKind;
  const period = String(form.period ?? "");
  if (!REPORT_KINDS.includes(kind) || periodMonths(kind, period) === undefined || !periodsBegun(kind, now).includes(period)) {
    throw new ApiError("not_found", "Relazione non disponibile");
  }
  const db = centralDb(c.env);
  const param = SCOPE_PARAM[kind];
  // The same rules as the API: the scope must be this user's and the directory's.
  const scope = await reportScope(db, user.principal, kind, param === undefined ? {} : { [param]: String(form.scope ?? "") });
  if (form.azione === "ritira") {
    const r = await transmittedReport(db, kind, period, scope);
    if (r === undefined) throw new ApiError("not_found", "Nessuna versione trasmessa per questo periodo");
    const label = (await scopesOf(c)).find((s) => s.kind === kind && s.scope === scope)?.label ?? scope;
    if (form.conferma !== "1") {
      assertMayWithdraw(user.principal, r, now);
      return confirmWithdrawal(c, r, TITLES[kind], label);
    }
    const { wake, db: cases } = await withdrawReport(db, user.principal, r, now, { requestId: c.get("requestId"), billEnabled: enabledBills(c.env.ENABLED_BILLS), appBaseUrl: c.env.APP_BASE_URL }, c.env.COMPLIANCE_QUARTER_ENDS, (d) => districtDb(c.env, d));
    if (wake !== null) await wakeAll(c.env, cases, wake, now);
    return c.redirect(`/relazioni?${new URLSearchParams({ ritirata: `${kind}/${period}/${scope}/${r.version}` })}`, 303);
  }
  if (form.azione === "trasmetti") {
    // The version the confirmation named (a newer one generated meanwhile is not sent in its place).
    const version = form.conferma === "1" && /^\d{1,6}$/.test(String(form.versione)) ? Number(form.versione) : undefined;
    const r = await findReport(db, kind, period, scope, version);
    if (r === undefined) throw new ApiError("not_found", "Nessuna versione da trasmettere");
    const label = (await scopesOf(c)).find((s) => s.kind === kind && s.scope === scope)?.label ?? scope;
    if (form.conferma !== "1") {
      // Refused before the confirmation is shown, with the day it becomes possible.
      assertPeriodEnded(kind, period, now);
      return confirmTransmission(c, r, TITLES[kind], label);
    }
    const { wake, db: cases } = await submitReport(db, user.principal, r, now, { requestId: c.get("requestId"), billEnabled: enabledBills(c.env.ENABLED_BILLS), appBaseUrl: c.env.APP_BASE_URL }, c.env.COMPLIANCE_QUARTER_ENDS, (d) => districtDb(c.env, d));
    if (wake !== null) await wakeAll(c.env, cases, wake, now);
    return c.redirect(`/relazioni?${new URLSearchParams({ trasmessa: `${kind}/${period}/${scope}/${r.version}` })}`, 303);
  } else {
    await generateReport(db, kind, period, scope, user.principal.id, now, caseDbs(c.env));
  }
  return c.redirect("/relazioni", 303);
});
