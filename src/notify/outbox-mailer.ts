import type { Db } from "../db/client.js";
import { mailOutbox, outbox } from "../db/schema.js";
import type { Mailer, OutgoingEmail, SendResult } from "./mailer.js";

/** Local delivery: the message is stored and announced, never sent. */
export function outboxMailer(db: Db, now: () => number): Mailer {
  return {
    name: "outbox",
    async send(e: OutgoingEmail): Promise<SendResult> {
      const row = { recipients: e.to, subject: e.subject, text: e.text, html: e.html, createdAt: now() };
      if (e.notificationId !== undefined) {
        await db.insert(outbox).values({ notificationId: e.notificationId, ...row }).onConflictDoNothing().run();
        // Subjects carry only the pseudonymous case reference and the deadline.
        console.log(`[outbox] ${e.to.join(", ")} — ${e.subject}`);
      } else {
        await db.insert(mailOutbox).values({ id: e.idempotencyKey, ...row }).onConflictDoNothing().run();
        // Other mail goes to a person: the line names the message, not the address.
        console.log(`[outbox] ${e.subject} (${e.idempotencyKey})`);
      }
      return { ok: true, providerId: `outbox:${e.idempotencyKey}`, attempts: 1 };
    },
  };
}
