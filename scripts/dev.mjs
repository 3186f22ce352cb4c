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
 *
 * The output is short: a line per database, then wrangler's own lines without its bindings table
 * and request log, the sweep's routine log lines dropped, each sign-in link set apart so it can be
 * found at a glance, and the time it took to be ready. --verbose shows wrangler's output whole.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { prepareLocalState } from "./local-d1.mjs";
import { offlineWranglerEnv } from "./wrangler-offline.mjs";

const started = performance.now();
const args = process.argv.slice(2);
const verboseAt = args.indexOf("--verbose");
const verbose = verboseAt >= 0;
if (verbose) args.splice(verboseAt, 1);
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
const dev = spawn("npm", [...wrangler, "dev", "--test-scheduled", ...base, ...args], { stdio: verbose ? "inherit" : ["inherit", "pipe", "pipe"] });
if (!verbose) {
  shorten(dev.stdout, process.stdout);
  shorten(dev.stderr, process.stderr);
}

/**
 * wrangler's output without what a developer does not need every time: the bindings table (the
 * settings are in wrangler.jsonc), one line per request, the sweep's routine JSON lines. A sign-in
 * link (the outbox's line) is printed in a frame of its own.
 */
function shorten(from, to) {
  let inTable = false;
  const plain = (line) => line.replace(/\x1b\[[0-9;]*m/g, "");
  createInterface({ input: from }).on("line", (line) => {
    const text = plain(line);
    if (/^Your Worker has access to the following bindings:/.test(text)) { inTable = true; return; }
    if (inTable && (/^(Binding\s|env\.|\s*$)/.test(text))) return;
    inTable = false;
    if (/^\[wrangler:info\] (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /.test(text)) return;
    if (/^\{"level":"info"/.test(text)) return;
    if (/^\[outbox\] \[Termini\] Link di accesso /.test(text)) return;
    const link = /^\[outbox\] link di accesso: (\S+)/.exec(text);
    if (link !== null) {
      to.write(`\n  ┌─ Link di accesso (aprilo nel browser; vale una volta, per 15 minuti)\n  └─ ${link[1]}\n\n`);
      return;
    }
    to.write(`${line}\n`);
  });
}
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
const seconds = ((performance.now() - started) / 1000).toFixed(1).replace(".", ",");
console.log(`
Termini è pronto in ${seconds} s: http://localhost:${port}/
Accedi con uno di questi indirizzi dimostrativi: il link di accesso compare qui sotto,
in un riquadro, e per l'amministratore anche in http://localhost:${port}/admin/posta:
  operatore.procura@example.org       operatore della Procura di Torino
  procuratore@example.org             Procuratore della Repubblica (capo dell'ufficio)
  funzionario.regione@example.org     funzionario della Regione Piemonte (relazioni)
  funzionario.ministero@example.org   funzionario del Dipartimento per le pari opportunità (relazioni)
  amministratore@example.org          amministratore
  protezione.dati@example.org         responsabile della protezione dei dati (registro degli accessi)
Un evento firmato: npm run event -- suspect.registered 1234/2026${port === 8787 ? "" : ` --port ${port}`}   (senza argomenti: i tipi di evento)
Tutto l'output di wrangler: npm run dev -- --verbose
`);
setInterval(sweep, 5 * 60_000).unref();
