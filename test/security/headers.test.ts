/**
 * Every answer carries the security headers; pages have no inline script or
 * style for the policy to forbid; a form posted from another origin is refused
 * whatever its token; credentials and validation speak Italian.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signedIn } from "../web/browser.js";

const get = (path: string, headers: Record<string, string> = {}) => exports.default.fetch(`https://termini.test${path}`, { headers, redirect: "manual" });

describe("security headers", () => {
  it.for(["/accedi", "/docs", "/api/v1/terms?from=2024-03-26T10:00:00Z&amount=3&unit=days&regime=penal", "/healthz", "/nessuna-pagina"])("are on %s", async (path) => {
    const res = await get(path);
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'"]) {
      expect(csp, path).toContain(directive);
    }
    expect(csp).not.toContain("unsafe-inline");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(res.headers.get("X-Frame-Options")).toBe("DENY");
    expect(res.headers.get("Strict-Transport-Security")).toBe("max-age=31536000; includeSubDomains");
  });

  it("leaves nothing inline for the policy to block: style sheets come from the Worker", async () => {
    const b = await signedIn();
    for (const path of ["/", "/calendario", "/docs", "/accedi"]) {
      const html = await (await b.go(path)).text();
      // Scripts only from the Worker's own files (src=), never inline.
      expect(html, path).not.toMatch(/<style|style="|<script(?![^>]*\ssrc="\/assets\/)|\son[a-z]+="/);
    }
    const css = await get("/assets/termini.css");
    expect([css.status, css.headers.get("Content-Type")]).toEqual([200, "text/css; charset=utf-8"]);
    const js = await get("/assets/termini.js");
    expect([js.status, js.headers.get("Content-Type")]).toEqual([200, "text/javascript; charset=utf-8"]);
  });

  it("serves Bootstrap Italia's sheet, fonts and icons from the pinned package, and nothing else of it", async () => {
    const html = await (await get("/accedi")).text();
    for (const href of [...html.matchAll(/(?:href|src)="(\/assets\/[^"#]+)/g)].map((m) => m[1]!)) {
      expect((await get(href)).status, href).toBe(200);
    }
    const sheet = await get("/assets/bi/css/bootstrap-italia.min.css");
    expect(sheet.headers.get("Content-Type")).toMatch(/^text\/css/);
    expect(await sheet.text()).toContain("--bootstrap-italia-version: '2.18.3'");
    const fonts = await (await get("/assets/fonts.css")).text();
    for (const file of [...fonts.matchAll(/url\("([^"]+)"\)/g)].map((m) => m[1]!)) {
      const font = await get(file);
      expect([font.status, font.headers.get("Content-Type")], file).toEqual([200, "font/woff2"]);
    }
    expect((await get("/assets/bi/svg/sprites.svg")).status).toBe(200);
    // The rest of the package (its scripts, source maps, other formats) is not served, nor is anything outside it.
    for (const path of ["/assets/bi/js/bootstrap-italia.bundle.min.js", "/assets/bi/css/bootstrap-italia.min.css.map", "/assets/bi/fonts/Titillium_Web/OFL.txt", "/assets/bi/../package.json"]) {
      expect((await get(path)).status, path).toBe(404);
    }
  });
});

describe("forms from another origin", () => {
  it("are refused even with a valid session and token", async () => {
    const b = await signedIn();
    const csrf = await b.csrf("/");
    const res = await exports.default.fetch("https://termini.test/esci", {
      method: "POST", redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://altro.example", Cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
      body: new URLSearchParams({ csrf }).toString(),
    });
    expect(res.status).toBe(403);
    // Still signed in: the sign-out did not happen.
    expect((await b.go("/")).status).toBe(200);
  });
});

describe("messages in Italian", () => {
  it("calls a malformed bearer token not valid, and an absent one missing", async () => {
    const bad = await get("/api/v1/cases", { Authorization: "Bearer corto" });
    expect([bad.status, ((await bad.json()) as { detail: string }).detail]).toEqual([401, "Credenziale non valida"]);
    const wrong = await get("/api/v1/cases", { Authorization: "Bearer termini-token-che-non-esiste" });
    expect(((await wrong.json()) as { detail: string }).detail).toBe("Credenziale non valida");
    const none = await get("/api/v1/cases");
    expect(((await none.json()) as { detail: string }).detail).toMatch(/^Credenziale mancante/);
  });

  it("gives Zod's own validation messages in Italian", async () => {
    const res = await exports.default.fetch("https://termini.test/api/v1/deadlines/preview", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ timeline: "362-bis", events: "x" }),
    });
    const body = (await res.json()) as { detail: string };
    expect(body.detail).toMatch(/^events: Input non valido: atteso vettore/);
  });
});
