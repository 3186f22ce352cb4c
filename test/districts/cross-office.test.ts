/**
 * The same refusals in the district layout (test/security/cross-office.ts): Turin's case in Turin's
 * database, the Procura di Milano's credential served from Milan's, nothing written in any of the three.
 */
import { env } from "cloudflare:workers";
import { refusesOutsiders } from "../security/cross-office.js";

refusesOutsiders(() => [env.DB, env.DISTRICT_TO, env.DISTRICT_MI]);
