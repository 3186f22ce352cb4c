import type { Db } from "../db/client.js";
import { outbox } from "../db/schema.js";
import type { Mailer, OutgoingEmail, SendResult } from "./mailer.js";

/** Local delivery: the message is stored and announced, never sent. */
export function outboxMailer(db: Db, now: () => number): Mailer {
  return {
    name: "outbox",
    async send(e: OutgoingEmail): Promise<SendResult> {
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
