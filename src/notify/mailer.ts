/**
 * The Mailer port. Locally the outbox (rows in D1 and a console line);
 * with RESEND_API_KEY set, Resend. Delivery code never knows which.
 */
export interface OutgoingEmail {
  /** A retried send must not send twice (a notification's id, or a sign-in link's). */
  idempotencyKey: string;
  /** The deadline notification this message delivers; absent for other mail (sign-in links). */
  notificationId?: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export type SendResult =
  | { ok: true; providerId: string; attempts: number }
  | { ok: false; error: string; attempts: number };

export interface Mailer {
  readonly name: "outbox" | "resend";
  send(email: OutgoingEmail): Promise<SendResult>;
}
