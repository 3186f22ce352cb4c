/**
 * The Mailer port. Locally the outbox (rows in D1 and a console line);
 * with RESEND_API_KEY set, Resend. Delivery code never knows which.
 *
 * One call is one attempt, bounded by a timeout: retrying is the delivery
 * code's business (over hours, from D1), never a loop inside a send.
 */
import type { SendFailure } from "./retry.js";

export interface OutgoingEmail {
  /**
   * The same message, however often it is attempted: a notification's id, or
   * a sign-in link's. A channel that cannot ask its provider to deduplicate
   * must deduplicate by this key itself.
   */
  idempotencyKey: string;
  /** The deadline notification this message delivers; absent for other mail (sign-in links). */
  notificationId?: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Where answers go (a public form's sender), when not to `from`. */
  replyTo?: string;
}

export type SendResult =
  /** Accepted; providerId null when the provider only says an earlier attempt with this key was. */
  | ({ ok: true; providerId: string | null })
  | ({ ok: false } & SendFailure);

export interface Mailer {
  readonly name: "outbox" | "resend";
  send(email: OutgoingEmail): Promise<SendResult>;
}
