/**
 * Transmitting a report happens only on purpose: a confirmation that says what is sent (which
 * report, which period, which version with its data date and checksum), what transmitting does, and
 * that the period is over; then a success message naming the version. A period still running is
 * refused by the domain (period_not_ended), on the API as here.
 */
import type { Context } from "hono";
import type { AppEnv } from "../env.js";
import type { StoredReport } from "../db/reports.js";
import { type ReportKind, periodMonths } from "../stats/report.js";
import { romeWhen } from "../engine/rome.js";
import { Layout } from "./layout.js";

/** "Versione 1, dati al 06/12/2026 alle 07:47": how a version is named to a person. */
export const versionName = (v: { version: number; snapshotAt: number }, provisional: boolean) =>
  `Versione ${v.version}, dati ${provisional ? "provvisori " : ""}al ${romeWhen(v.snapshotAt)}`;

export function confirmTransmission(c: Context<AppEnv>, r: StoredReport, title: string, scopeLabel: string) {
  const user = c.get("user");
  const kind = r.kind as ReportKind;
  return c.html(
    <Layout title="Conferma la trasmissione" user={user} crumbs={[["/relazioni", "Relazioni"]]}>
      <p>Sta per trasmettere questa relazione:</p>
      <dl class="row">
        <dt class="col-sm-3">Relazione</dt><dd class="col-sm-9">{title} — {scopeLabel}</dd>
        <dt class="col-sm-3">Periodo</dt><dd class="col-sm-9">{periodMonths(kind, r.period)!.label}</dd>
        <dt class="col-sm-3">Versione</dt><dd class="col-sm-9">{versionName(r, false)}</dd>
        <dt class="col-sm-3">Impronta</dt><dd class="col-sm-9"><code class="small">sha256:{r.checksum}</code></dd>
      </dl>
      <p>Trasmettendo, questa versione risulta trasmessa a suo nome e con la data di oggi, l'adempimento della relazione si chiude
        e i sistemi collegati che ricevono gli eventi dell'ufficio ne sono avvisati (evento «relazione pubblicata»). Le versioni generate dopo non
        sostituiscono quella trasmessa.</p>
      <form method="post" action="/relazioni">
        <input type="hidden" name="csrf" value={user.csrf} />
        <input type="hidden" name="kind" value={r.kind} /><input type="hidden" name="period" value={r.period} /><input type="hidden" name="scope" value={r.scope} />
        <input type="hidden" name="versione" value={String(r.version)} />
        <input type="hidden" name="conferma" value="1" />
        <button type="submit" class="btn btn-primary me-2" name="azione" value="trasmetti">Conferma e trasmetti la versione {r.version}</button>
        <a class="btn btn-outline-secondary" href="/relazioni">Annulla</a>
      </form>
    </Layout>,
  );
}
