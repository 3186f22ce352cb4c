/**
 * The audit log as administrators and the data-protection officer read it: each entry an Italian
 * sentence — who did what, to whom, and why — with the record itself behind a disclosure, filtered
 * by case, office, actor and date, and exported for the Garante. The log may be read only for the
 * purposes art. 21 co. 3 D.Lgs. 51/2018 names: the reader says which, and the reading is logged.
 */
import { desc, eq } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../env.js";
import { config } from "../config.js";
import { ApiError } from "../http/problem.js";
import { audit } from "../db/audit.js";
import { type LogFilter, logNames, readLog } from "../db/audit-read.js";
import { centralDb } from "../db/districts.js";
import { auditLog } from "../db/schema.js";
import { LOG_PURPOSES, type LogPurpose } from "../domain/access/access-reason.js";
import { daysFromCivil } from "../engine/civil.js";
import { romeLocalInstant } from "../engine/rome.js";
import { romeDateTime as when } from "./format.js";
import { canonicalReference } from "../lib/reference.js";
import { Layout } from "./layout.js";
import { auditSentence } from "./audit-sentence.js";
import { type ExportFormat, checksumOf, logExport } from "./log-export.js";
import { createRouter } from "../http/router.js";

export const adminLog = createRouter();

/** Entries a page shows, and a file holds at most. */
const PAGE = 200;
export const EXPORT_MAX = 5000;

/** "YYYY-MM-DD" as the first instant of that Rome day (`after` days later); undefined for anything else. */
function dayStart(iso: string | undefined, after = 0): number | undefined {
  const m = iso === undefined ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m === null ? undefined : romeLocalInstant(daysFromCivil(+m[1]!, +m[2]!, +m[3]!) + after, 0);
}

const isPurpose = (p: unknown): p is LogPurpose => typeof p === "string" && Object.hasOwn(LOG_PURPOSES, p);

/** The filters as the form sends them: the page's address, the export's too. */
function filtersOf(c: Context<AppEnv>) {
  const q = (k: string) => c.req.query(k)?.trim() || undefined;
  // No purpose chosen, none assumed: the log is read only for one the reader names.
  const finalita = q("finalita");
  const typed = { caso: q("caso"), ufficio: q("ufficio"), chi: q("chi"), dal: q("dal"), al: q("al"), finalita: isPurpose(finalita) ? finalita : undefined };
  const filter: LogFilter = {
    // A reference searched for in its canonical spelling, as cases hold it (0977966/2026 finds 977966/2026).
    caso: typed.caso === undefined ? undefined : canonicalReference(typed.caso), ufficio: typed.ufficio, chi: typed.chi,
    // "Al" includes that whole day, up to the next day's first instant in Rome.
    from: dayStart(typed.dal), to: dayStart(typed.al, 1),
  };
  return { typed, filter };
}

/** The log's entries as a file, its checksum in the headers and in the log's own entry of the export. */
export async function serveExport(c: Context<AppEnv>, by: string, filter: LogFilter, format: ExportFormat, purpose: LogPurpose): Promise<Response> {
  const now = Date.now();
  const names = await logNames(c.env);
  const rows = await readLog(c.env, filter, EXPORT_MAX + 1, names);
  const out = logExport(rows.slice(0, EXPORT_MAX), names, format, {
    filter, purpose: LOG_PURPOSES[purpose], generatedAt: now, generatedBy: names.actor(by), administration: config(c.env).ADMINISTRATION_NAME, truncated: rows.length > EXPORT_MAX,
  });
  const sum = await checksumOf(out.body);
  await audit(centralDb(c.env), {
    actor: by, action: "audit.exported", caseId: null, requestId: c.get("requestId"), reason: LOG_PURPOSES[purpose],
    detail: { filters: filter, format, entries: Math.min(rows.length, EXPORT_MAX), checksum: `sha256:${sum.hex}`, recipients: [by] },
  }, now);
  return c.body(out.body, 200, {
    "Content-Type": out.type, "Content-Disposition": `attachment; filename="${out.filename}"`, "X-Checksum": `sha256:${sum.hex}`, "Repr-Digest": sum.reprDigest, "Cache-Control": "no-store",
  });
}

adminLog.get("/admin/registro/esporta", async (c) => {
  const { typed, filter } = filtersOf(c);
  if (typed.finalita === undefined) throw new ApiError("missing_parameter", "finalita: la finalità dell'estrazione (art. 21, comma 3, d.lgs. 51/2018)", { parameter: "finalita" });
  const format = c.req.query("formato") === "json" ? "json" : "csv";
  return serveExport(c, c.get("user").principal.id, filter, format, typed.finalita);
});

adminLog.get("/admin/registro", async (c) => {
  const db = centralDb(c.env);
  const { typed, filter } = filtersOf(c);
  const names = await logNames(c.env);
  const purpose = typed.finalita;
  const [shown, exports] = purpose === undefined ? [[], []] : await Promise.all([
    readLog(c.env, filter, PAGE, names),
    db.select().from(auditLog).where(eq(auditLog.action, "audit.exported")).orderBy(desc(auditLog.id)).limit(5).all(),
  ]);
  if (purpose !== undefined) {
    await audit(db, { actor: c.get("user").principal.id, action: "audit.read", caseId: null, requestId: c.get("requestId"), reason: LOG_PURPOSES[purpose], detail: { filters: filter, rows: shown.length } }, Date.now());
  }
  const query = new URLSearchParams(Object.entries(typed).filter((e): e is [string, string] => e[1] !== undefined));
  return c.html(
    <Layout title="Registro degli accessi e delle comunicazioni" user={c.get("user")} crumbs={c.get("user").role === "admin" ? [["/admin", "Amministrazione"]] : []}>
      <p class="muted">Il registro non può essere modificato. Ogni consultazione di un procedimento e ogni comunicazione di dati vi è registrata con il suo motivo;
        il registro può essere letto solo per le finalità indicate dall'art. 21 del d.lgs. 51/2018, e ogni lettura è registrata. Al massimo {PAGE} voci, le più recenti.</p>
      <form method="get" action="/admin/registro" class="row g-3 align-items-end mb-4">
        {([["caso", "Procedimento", "text"], ["ufficio", "Ufficio", "text"], ["chi", "Chi", "text"], ["dal", "Dal", "date"], ["al", "Al", "date"]] as const).map(([id, label, type]) => (
          <div class="col-12 col-md-4 col-lg-2">
            <div class="form-group mb-0"><label for={id}>{label}</label><input class="form-control" id={id} name={id} type={type} value={typed[id] ?? ""} /></div>
          </div>
        ))}
        <div class="col-12 col-md-8 col-lg-4">
          <div class="select-wrapper"><label for="finalita">Finalità della consultazione</label>
            <select id="finalita" name="finalita" required>
              <option value="" selected={typed.finalita === undefined}>Scelga la finalità</option>
              {Object.entries(LOG_PURPOSES).map(([k, v]) => <option value={k} selected={k === typed.finalita}>{v}</option>)}
            </select></div>
        </div>
        <div class="col-12 col-lg-2"><button type="submit" class="btn btn-primary">Filtra</button></div>
      </form>
      {purpose === undefined
        ? <p>Scelga la finalità della consultazione e prema «Filtra»: il registro si legge solo per una finalità dichiarata, che resta registrata.</p>
        : <p>Esporta le voci filtrate (al più {EXPORT_MAX}), con la loro impronta SHA-256:{" "}
          <a href={`/admin/registro/esporta?${query}&formato=csv`} download>CSV</a> · <a href={`/admin/registro/esporta?${query}&formato=json`} download>JSON</a></p>}
      {exports.length > 0 && (
        <details class="mb-4"><summary>Ultime estrazioni e le loro impronte</summary>
          <ul class="small">{exports.map((e) => <li>{when(e.at)} — {names.actor(e.actor)}: {String(e.detail.entries)} voci, {String(e.detail.format).toUpperCase()}, <code>{String(e.detail.checksum)}</code></li>)}</ul>
        </details>
      )}
      {purpose !== undefined && <table class="table table-stack">
        <thead><tr><th scope="col">Quando</th><th scope="col">Che cosa</th><th scope="col">Motivo</th><th scope="col">Procedimento</th></tr></thead>
        <tbody>{shown.map(({ a, ref }) => (
          <tr>
            <td data-label="Quando">{when(a.at)}</td>
            <td data-label="Che cosa">{auditSentence(a, names)}
              <details><summary class="small">Dati registrati</summary><pre class="small mb-0 wrap">{JSON.stringify({ azione: a.action, chi: a.actor, richiesta: a.requestId, motivo: a.reason, dettagli: a.detail }, null, 2)}</pre></details>
            </td>
            <td data-label="Motivo">{a.reason ?? "—"}</td>
            <td data-label="Procedimento">{ref ?? "—"}</td>
          </tr>
        ))}</tbody>
      </table>}
    </Layout>,
  );
});
