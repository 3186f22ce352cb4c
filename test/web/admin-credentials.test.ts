/**
 * /admin/credenziali: an administrator issues an office system's credential
 * (the token shown once, only its digest kept), which then reads the API with
 * its declared purpose as the audit log's reason; a refused form says why
 * beside each field; revoking takes effect at the next request. Not for
 * anyone else.
 */
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { api } from "../backbone/helpers.js";
import { signedIn } from "./browser.js";
import { csrfOf } from "./csrf.js";

const tokenIn = (html: string) => /value="(trm_[^"]+)"/.exec(html)?.[1];

it("issues a credential shown once, whose reads carry its purpose, and revokes it", async () => {
  const admin = await signedIn("amministratore@example.org");
  const csrf = csrfOf(await (await admin.go("/admin/credenziali")).text());
  const refused = await admin.go("/admin/credenziali", { form: { csrf, nome: "x", ruolo: "staff", finalita: "poco" } });
  expect(refused.status).toBe(422);
  const refusedPage = await refused.text();
  for (const message of ["Nome richiesto", "Finalità richiesta", "Scelga almeno un ufficio."]) expect(refusedPage).toContain(message);
  expect(await (await admin.go("/admin/credenziali", { form: { csrf, nome: "Sistema regionale", ruolo: "region", finalita: "relazioni annuali della Regione" } })).text()).toContain("Scelga la regione.");

  const purpose = "gestione delle scadenze del centro antiviolenza";
  const issued = await admin.go("/admin/credenziali", { form: { csrf, nome: "Registro CUAV Torino", ruolo: "staff", uffici: ["cuav-torino"], finalita: purpose } });
  expect([issued.status, issued.headers.get("Cache-Control")]).toEqual([200, "no-store"]);
  const token = tokenIn(await issued.text())!;
  expect(token).toMatch(/^trm_[A-Za-z0-9_-]{43}$/);
  // Only its digest is kept, and no page shows it again.
  expect((await env.DB.prepare("SELECT count(*) AS n FROM api_credentials WHERE token_hash = ?").bind(token).first<{ n: number }>())!.n).toBe(0);
  expect(await (await admin.go("/admin/credenziali")).text()).not.toContain(token);

  expect((await api("GET", "/api/v1/cases", { token })).status).toBe(200);
  const read = await env.DB.prepare("SELECT reason FROM audit_log WHERE action = 'cases.listed' AND actor LIKE 'credential:cred_%' ORDER BY id DESC").first<{ reason: string }>();
  expect(read!.reason).toBe(`finalità della credenziale: ${purpose}`);
  const issuedLog = await env.DB.prepare("SELECT detail FROM audit_log WHERE action = 'credential.issued' ORDER BY id DESC").first<{ detail: string }>();
  expect(JSON.parse(issuedLog!.detail)).toMatchObject({ role: "staff", offices: ["cuav-torino"], purpose });

  const id = /action="\/admin\/credenziali\/(cred_[a-f0-9]+)\/revoca"/.exec(await (await admin.go("/admin/credenziali")).text())![1]!;
  const revoked = await (await admin.go(`/admin/credenziali/${id}/revoca`, { form: { csrf } })).text();
  expect(revoked).toContain("Credenziale «Registro CUAV Torino» revocata");
  expect((await api("GET", "/api/v1/cases", { token })).status).toBe(401);
});

it("is for administrators only", async () => {
  const operator = await signedIn();
  expect((await operator.go("/admin/credenziali")).status).toBe(403);
});
