/**
 * Transmitting a report happens only on purpose: a confirmation that says what is sent (which
 * report, which period, which version with its data date and checksum), what transmitting does, and
 * that the period is over; then a success message naming the version. A period still running is
 * refused by the domain (period_not_ended), on the API as here.
 */
import type { Context } from "hono";
import type { AppEnv } from "../env.js";
import type { StoredReport } from "../db/reports.js";
import { RECIPIENTS, type ReportKind, periodMonths } from "../stats/report.js";
import { WITHDRAWAL_WINDOW_MS } from "../domain/reports/report-transmission.js";
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
        <dt class="col-sm-3">Destinatario</dt><dd class="col-sm-9">{capitalised(RECIPIENTS[kind].to)} ({RECIPIENTS[kind].basis})</dd>
      </dl>
      <p>Trasmettendo, questa versione risulta trasmessa a suo nome e con la data di oggi, l'adempimento della relazione si chiude
        e i sistemi collegati che ricevono gli eventi dell'ufficio ne sono avvisati (evento «relazione pubblicata»). Le versioni generate dopo non
        sostituiscono quella trasmessa.</p>
      <p>Se la trasmette per errore, potrà ritirarla lei stesso entro {WITHDRAWAL_WINDOW_MS / 3_600_000} ore dalla pagina delle relazioni.</p>
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

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Withdrawing a mistaken transmission: what it undoes, and who is told. */
export function confirmWithdrawal(c: Context<AppEnv>, r: StoredReport, title: string, scopeLabel: string) {
  const user = c.get("user");
  const kind = r.kind as ReportKind;
  return c.html(
    <Layout title="Conferma il ritiro della trasmissione" user={user} crumbs={[["/relazioni", "Relazioni"]]}>
      <p>Sta per ritirare la trasmissione di questa relazione:</p>
      <dl class="row">
        <dt class="col-sm-3">Relazione</dt><dd class="col-sm-9">{title} — {scopeLabel}</dd>
        <dt class="col-sm-3">Periodo</dt><dd class="col-sm-9">{periodMonths(kind, r.period)!.label}</dd>
        <dt class="col-sm-3">Versione</dt><dd class="col-sm-9">{versionName(r, false)}, trasmessa il {romeWhen(r.submittedAt!)}</dd>
      </dl>
      <p>Ritirandola, la versione non risulta più trasmessa, l'adempimento della relazione si riapre con i suoi promemoria, e i sistemi
        collegati che avevano ricevuto l'avviso della trasmissione ricevono l'avviso del ritiro (evento «relazione ritirata»). Il ritiro resta
        nel registro degli accessi. Potrà poi trasmettere la versione corretta.</p>
      <form method="post" action="/relazioni">
        <input type="hidden" name="csrf" value={user.csrf} />
        <input type="hidden" name="kind" value={r.kind} /><input type="hidden" name="period" value={r.period} /><input type="hidden" name="scope" value={r.scope} />
        <input type="hidden" name="conferma" value="1" />
        <button type="submit" class="btn btn-danger me-2" name="azione" value="ritira">Conferma il ritiro della trasmissione</button>
        <a class="btn btn-outline-secondary" href="/relazioni">Annulla</a>
      </form>
    </Layout>,
  );
}
