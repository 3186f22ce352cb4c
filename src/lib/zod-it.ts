/**
 * Zod's own messages in Italian (its "it" locale): every validation message a
 * user or an integrator reads is Italian, the ones our schemas write and the
 * ones Zod writes alike. Imported for its effect by the modules that validate.
 */
import { z } from "zod";

z.config(z.locales.it());
