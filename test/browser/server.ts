/**
 * A real `wrangler dev` for browser tests, in wrangler.jsonc's district layout: its own state,
 * migrations applied to the central database and Turin's and Milan's, the demo directory, and
 * one sweep (which copies the directory into the districts) before the tests begin.
 */
import { DISTRICT_BINDINGS, DevServer, freshState } from "../../bench/dev-server.js";

export async function startDevServer(port: number, extra: string[] = []): Promise<DevServer> {
  const state = `.wrangler/browser-state-${port}`;
  await freshState(state, undefined, DISTRICT_BINDINGS);
  // localhost, as the links in emails say: the session cookie is that origin's.
  const server = new DevServer(port, state, ["--var", `APP_BASE_URL:http://localhost:${port}`, "--var", "DISTRICTS:TO,MI", "--test-scheduled", ...extra], "localhost");
  await server.start();
  const swept = await server.cron();
  if (swept !== 200) throw new Error(`the first sweep answered ${swept}`);
  return server;
}
