/**
 * An invitation: a single-use sign-in link valid for INVITATION_DAYS, in an email that says who
 * invites, to what and what to do. The user stays "invitato" until the link is used (the sign-in
 * that consumes it records the acceptance). Sent again, the earlier links stay valid.
 */
import { sha256Hex } from "../lib/digest.js";
import type { Db } from "../db/client.js";
import { signInLinks } from "../db/schema.js";
import type { Bindings } from "../env.js";
import { mailerFor } from "../notify/context.js";
import { escapeHtml } from "../lib/html.js";
import { administrationName } from "./layout.js";
import { randomToken } from "./session.js";

export const INVITATION_DAYS = 7;


export async function sendInvitation(env: Bindings, db: Db, invitee: { id: string; email: string; name: string | null }, role: string, now: number): Promise<void> {
  const token = randomToken();
  const hash = await sha256Hex(token);
  await db.insert(signInLinks).values({ tokenHash: hash, userId: invitee.id, createdAt: now, expiresAt: now + INVITATION_DAYS * 86_400_000 }).run();
  const link = `${env.APP_BASE_URL}/accedi/link?token=${token}&dopo=${encodeURIComponent("/")}`;
  const who = administrationName();
  const greeting = invitee.name === null ? "Gentile collega," : `Gentile ${invitee.name},`;
  await mailerFor(env, db).send({
    idempotencyKey: `invite:${hash.slice(0, 32)}`, from: env.EMAIL_FROM, to: [invitee.email],
    subject: `[Termini] ${who} — invito ad accedere`,
    text: `${who}\n\n${greeting}\nè stato invitato a usare Termini, il servizio che calcola e ricorda agli uffici i termini di legge dei procedimenti per violenza di genere e domestica, con il ruolo di ${role}.\n\nPer accettare l'invito e accedere apra questo link entro ${INVITATION_DAYS} giorni (vale una sola volta):\n\n${link}\n\nIn seguito potrà accedere chiedendo un link alla pagina di accesso con questo indirizzo. Se non si aspettava questo invito, ignori il messaggio.`,
    html: `<p><strong>${escapeHtml(who)}</strong></p><p>${escapeHtml(greeting)}<br>è stato invitato a usare Termini, il servizio che calcola e ricorda agli uffici i termini di legge dei procedimenti per violenza di genere e domestica, con il ruolo di ${escapeHtml(role)}.</p><p><a href="${link}">Accetti l'invito e acceda</a> entro ${INVITATION_DAYS} giorni (il link vale una sola volta).</p><p>In seguito potrà accedere chiedendo un link alla pagina di accesso con questo indirizzo. Se non si aspettava questo invito, ignori il messaggio.</p>`,
  });
}
