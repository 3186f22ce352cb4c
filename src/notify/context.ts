import { database } from "../db/client.js";
import type { Bindings } from "../env.js";
import { quarterEnds } from "../timelines/quarters.js";
import type { DeliveryContext } from "./deliver.js";
import type { Mailer } from "./mailer.js";
import { outboxMailer } from "./outbox-mailer.js";
import { resendMailer } from "./resend-mailer.js";

export function mailerFor(env: Bindings, db = database(env.DB)): Mailer {
  const key = env.RESEND_API_KEY;
  if (key === undefined || key === "") return outboxMailer(db, Date.now);
  return resendMailer({
    apiKey: key, baseUrl: env.RESEND_BASE_URL || undefined, baseDelayMs: Number(env.MAIL_RETRY_BASE_MS) || 500, maxAttempts: 4,
  });
}

export function deliveryContext(env: Bindings, actor: string): DeliveryContext {
  const db = database(env.DB);
  return {
    db, mailer: mailerFor(env, db), from: env.EMAIL_FROM, appBaseUrl: env.APP_BASE_URL, actor, now: Date.now,
    quarterEnds: quarterEnds(env.COMPLIANCE_QUARTER_ENDS),
  };
}
