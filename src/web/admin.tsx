/**
 * Admin pages: the office directory with each escalation chain, webhook
 * senders (create, rotate the secret), the outbox with delivery status,
 * and the audit log. Admins only; every change audited.
 */
import { ApiError } from "../http/problem.js";
import { auditIntegrityRead, checkIntegrity, withdrawDuplicate } from "../domain/cases/integrity.js";
import { readForm } from "../http/body.js";
import { Layout } from "./layout.js";
import { Alert } from "./ui.js";
import { checkCsrf, requireUser } from "./session.js";
import { adminUsers } from "./admin-users.js";
import { adminOffices } from "./admin-offices.js";
import { adminLog } from "./admin-log.js";
import { adminMail } from "./admin-mail.js";
import { adminWebhooks } from "./admin-webhooks.js";
import { adminSenders } from "./admin-senders.js";
import { adminCredentials } from "./admin-credentials.js";
import { createRouter } from "../http/router.js";

export const admin = createRouter();

admin.use("/admin/*", requireUser, async (c, next) => {
  const role = c.get("user").role;
  // The audit log is also the data-protection officer's; every other page, administrators' only.
  const log = /^\/admin\/registro(\/|$)/.test(new URL(c.req.url).pathname);
  if (role !== "admin" && !(log && role === "dpo")) throw new ApiError("forbidden", log ? "Registro riservato agli amministratori e al responsabile della protezione dei dati" : "Pagine riservate agli amministratori");
  await next();
});
admin.route("/", adminUsers);
admin.route("/", adminOffices);
admin.route("/", adminLog);
admin.route("/", adminMail);
admin.route("/", adminWebhooks);
admin.route("/", adminSenders);
admin.route("/", adminCredentials);


admin.get("/admin", async (c) => {
  const found = await checkIntegrity(c.env);
  const user = c.get("user");
  await auditIntegrityRead(c.env, user.principal.id, c.get("requestId"), found, "controllo di integrità dei dati (amministrazione del servizio)");
  return c.html(
    <Layout title="Amministrazione" user={user} current="/admin">
      {c.req.query("ritirato") === "1" && <Alert tone="success">Duplicato ritirato: i suoi scadenzari non inviano più promemoria né segnalazioni, e gli uffici ne sono stati avvisati.</Alert>}
      {found.misplaced.length > 0 && (
        <div class="alert alert-danger" role="alert">
          <p><strong>{found.misplaced.length === 1 ? "Un procedimento è conservato" : `${found.misplaced.length} procedimenti sono conservati`} fuori dal distretto dell'ufficio titolare.</strong>{" "}
            Gli uffici del suo distretto non lo trovano: va spostato nel database del distretto giusto.</p>
          <ul>{found.misplaced.map((m) => <li>{m.ref} ({m.office}): nel distretto {m.district}, appartiene al distretto {m.belongsTo}</li>)}</ul>
        </div>
      )}
      {found.referenceCollisions.length > 0 && (
        <section class="alert alert-danger" aria-labelledby="riferimenti">
          <h2 id="riferimenti" class="h5">Riferimenti doppi da verificare</h2>
          <p>Questi procedimenti hanno lo stesso numero di un altro dello stesso ufficio, scritto diversamente (per esempio con zeri iniziali).
            Ritirare il duplicato ne ferma gli scadenzari; l'altro procedimento, con il riferimento nella forma corretta, prosegue.</p>
          <ul class="list-unstyled">
            {found.referenceCollisions.map((r) => (
              <li class="mb-2">
                <form method="post" action={`/admin/riferimenti/${r.caseId}/ritira`}>
                  <input type="hidden" name="csrf" value={user.csrf} />
                  «{r.ref}» dell'ufficio {r.office}, come «{r.canonical}»{r.running ? " — con scadenzari in corso" : ""}{" "}
                  <button type="submit" class="btn btn-sm btn-outline-danger">Ritira il duplicato «{r.ref}»</button>
                </form>
              </li>
            ))}
          </ul>
        </section>
      )}
      {found.awaitingMove > 0 && (
        <div class="alert alert-warning" role="status">
          {found.awaitingMove === 1 ? "Un procedimento attende" : `${found.awaitingMove} procedimenti attendono`} lo spostamento dal database centrale a quello del proprio distretto (npm run districts:move).
        </div>
      )}
      <ul class="link-list">
        <li><a href="/admin/utenti">Utenti: inviti, ruoli, disattivazione</a></li>
        <li><a href="/admin/uffici">Rubrica degli uffici e catene di segnalazione</a></li>
        <li><a href="/admin/mittenti">Sistemi mittenti dei webhook</a></li>
        <li><a href="/admin/credenziali">Credenziali API dei sistemi degli uffici, delle Regioni e del Ministero</a></li>
        <li><a href="/admin/webhook">Webhook in uscita: abbonamenti, recapiti, eventi non consegnati</a></li>
        <li><a href="/admin/posta">Posta in uscita e stato di recapito</a></li>
        <li><a href="/admin/registro">Registro degli accessi e delle modifiche</a></li>
      </ul>
    </Layout>,
  );
});

admin.post("/admin/riferimenti/:caseId/ritira", async (c) => {
  const user = c.get("user");
  checkCsrf(user.csrf, (await readForm(c.req.raw)).csrf);
  await withdrawDuplicate(c.env, user.principal, c.req.param("caseId"), Date.now(), c.get("requestId"));
  return c.redirect("/admin?ritirato=1", 303);
});

