/** Another office's and another district's credential on every route naming an office's object, in one database (test/security/cross-office.ts). */
import { env } from "cloudflare:workers";
import { refusesOutsiders } from "./cross-office.js";

refusesOutsiders(() => [env.DB]);
