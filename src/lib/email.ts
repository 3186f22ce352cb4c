/**
 * What the app accepts as an email address, in every form that takes one: a local part and a
 * domain with a top-level label, bounded lengths, no spaces or commas (lists are split on commas).
 */
const EMAIL_ADDRESS = /^[^\s@,]{1,64}@[^\s@,]{1,200}\.[a-z]{2,}$/i;

export const isEmailAddress = (s: string): boolean => EMAIL_ADDRESS.test(s);
