/** The CSRF token a page's forms carry (every form has it as a hidden field): the one place tests read it. */
export function csrfOf(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (m === null) throw new Error("no CSRF token on the page (is it a form page, and is the session signed in?)");
  return m[1]!;
}
