#!/usr/bin/env node
/**
 * npm run dev [-- wrangler dev options, e.g. --port 8799]
 *
 * Applies the D1 migrations to the embedded local databases (the central
 * one and Turin's and Milan's), seeds the demo directory in the central
 * one, starts `wrangler dev`, and stands in for the cron trigger (which
 * wrangler does not fire locally): it runs the sweep once the server is
 * ready — copying the directory to the districts, picking up work a
 * restart left behind — and every 5 minutes after.
 */
import { spawn } from "node:child_process";
import { prepareLocalState } from "./local-d1.mjs";
import { offlineWranglerEnv } from "./wrangler-offline.mjs";

const args = process.argv.slice(2);
const portArg = args.indexOf("--port");
const port = portArg >= 0 ? Number(args[portArg + 1]) : 8787;
const persistArg = args.indexOf("--persist-to");
const state = persistArg >= 0 ? args[persistArg + 1] : ".wrangler/state";
const wrangler = ["exec", "--", "wrangler"];

// wrangler never checks npm for a newer version of itself (see wrangler-offline.mjs).
Object.assign(process.env, offlineWranglerEnv());
// Every database of wrangler.jsonc, one after the other in this process (one runtime start, no race).
for (const { binding, total, applied } of await prepareLocalState(state, { seeds: [{ binding: "DB", file: "seeds/demo.sql" }] })) {
  console.log(`${binding}: ${total} migrazioni, ${applied === 0 ? "già applicate" : `${applied} applicate ora`}`);
}

// Links in emails (sign-in, case pages) point at this server, whatever its port.
const base = args.some((a) => a.startsWith("APP_BASE_URL:")) ? [] : ["--var", `APP_BASE_URL:http://localhost:${port}`];
const dev = spawn("npm", [...wrangler, "dev", "--test-scheduled", ...base, ...args], { stdio: "inherit" });
const stop = () => dev.kill("SIGINT");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
dev.on("exit", (code) => process.exit(code ?? 0));

async function sweep() {
  try {
    await fetch(`http://127.0.0.1:${port}/__scheduled?cron=${encodeURIComponent("*/5 * * * *")}`);
  } catch {
    // Not up yet, or restarting: the next tick tries again.
  }
}

async function whenReady() {
  for (let i = 0; i < 120; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

await whenReady();
// The districts' copies of the directory first: events are routed to them.
await sweep();
console.log(`
Termini è pronto: http://localhost:${port}/
Accedi con uno di questi indirizzi dimostrativi; il link di accesso compare qui sotto
([outbox] link di accesso: …) e, per l'amministratore, in http://localhost:${port}/admin/posta:
  operatore.procura@example.org       operatore della Procura di Torino
  procuratore@example.org             Procuratore della Repubblica (capo dell'ufficio)
  funzionario.regione@example.org     funzionario della Regione Piemonte (relazioni)
  funzionario.ministero@example.org   funzionario del Dipartimento per le pari opportunità (relazioni)
  amministratore@example.org          amministratore
Un evento firmato: npm run event -- suspect.registered 1234/2026${port === 8787 ? "" : ` --port ${port}`}
`);
setInterval(sweep, 5 * 60_000).unref();
