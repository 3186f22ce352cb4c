/**
 * Zod's own messages in Italian (its "it" locale): every validation message a
 * user or an integrator reads is Italian, the ones our schemas write and the
 * ones Zod writes alike. Imported for its effect by the modules that validate.
 * The locale is imported alone: `z.locales` would bundle all fifty of them.
 */
import * as z from "zod";
import it from "zod/v4/locales/it.js";

z.config(it());
