import type { Db } from "../db/client.js";
import { mailOutbox, outbox } from "../db/schema.js";
import type { Mailer, OutgoingEmail, SendResult } from "./mailer.js";

/** Local delivery: the message is stored and announced, never sent. */
export function outboxMailer(db: Db, now: () => number): Mailer {
  return {
    name: "outbox",
    async send(e: OutgoingEmail): Promise<SendResult> {
      // Sign-in links are not deadline notifications: they have their own table.
      if (e.idempotencyKey.startsWith("signin:")) {
        await db.insert(mailOutbox).values({ id: e.idempotencyKey, recipients: e.to, subject: e.subject, text: e.text, html: e.html, createdAt: now() })
          .onConflictDoNothing().run();
        console.log(`[outbox] ${e.to.join(", ")} — ${e.subject}`);
        return { ok: true, providerId: `outbox:${e.idempotencyKey}`, attempts: 1 };
      }
      await db
        .insert(outbox)
        .values({ notificationId: e.idempotencyKey, recipients: e.to, subject: e.subject, text: e.text, html: e.html, createdAt: now() })
        .onConflictDoNothing()
        .run();
      // Subjects carry only the pseudonymous case reference and the deadline.
      console.log(`[outbox] ${e.to.join(", ")} — ${e.subject}`);
      return { ok: true, providerId: `outbox:${e.idempotencyKey}`, attempts: 1 };
    },
  };
}
