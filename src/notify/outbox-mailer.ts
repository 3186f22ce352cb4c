import type { Db } from "../db/client.js";
import { mailOutbox, outbox } from "../db/schema.js";
import type { Mailer, OutgoingEmail, SendResult } from "./mailer.js";

/**
 * Local delivery: the message is stored and announced, never sent. The
 * outbox has no provider to deduplicate for it, so it deduplicates by the
 * idempotency key itself: a repeated attempt stores and announces nothing.
 * The console line never names a recipient.
 */
export function outboxMailer(db: Db, now: () => number): Mailer {
  return {
    name: "outbox",
    async send(e: OutgoingEmail): Promise<SendResult> {
      const row = { recipients: e.to, subject: e.subject, text: e.text, html: e.html, createdAt: now() };
      const stored = e.notificationId !== undefined
        ? await db.insert(outbox).values({ notificationId: e.notificationId, ...row }).onConflictDoNothing().returning({ id: outbox.notificationId }).all()
        : await db.insert(mailOutbox).values({ id: e.idempotencyKey, ...row }).onConflictDoNothing().returning({ id: mailOutbox.id }).all();
      // Subjects carry only the pseudonymous case reference and the deadline (sign-in mail: a fixed subject).
      if (stored.length > 0) console.log(`[outbox] ${e.subject} (${e.idempotencyKey})`);
      // Locally (the only place this mailer runs), the sign-in link itself, so the developer can open it.
      const link = e.notificationId === undefined ? /https?:\/\/\S+\/accedi\/link\?\S+/.exec(e.text)?.[0] : undefined;
      if (stored.length > 0 && link !== undefined) console.log(`[outbox] link di accesso: ${link}`);
      return { ok: true, providerId: `outbox:${e.idempotencyKey}` };
    },
  };
}
