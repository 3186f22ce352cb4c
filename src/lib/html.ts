/** Text for an HTML email body written by hand (not through a template that escapes). */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
