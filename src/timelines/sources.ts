/**
 * The timelines as written, and their validation. Read at build time by
 * `npm run catalogue` (which writes catalogue.generated.json, what the
 * Worker loads) and by the tests; never bundled into the Worker.
 */
import * as z from "zod";
import { AMMONIMENTO_REVOCATION, INDEMNITY_CLAIM, VIGILANCE_REVIEW } from "./administrative.js";
import { ART_362_BIS } from "./art-362-bis.js";
import { REGISTER_APPLICATION, REGISTER_CHANGES } from "./bills.js";
import { TimelineDefinition, type TimelineInput } from "./definition.js";
import { LOMBARDY_BIENNIAL_REPORT, LOMBARDY_NETWORK_REPORT, LOMBARDY_NETWORK_REPORT_V1, TURIN_PROTOCOL, TURIN_PROTOCOL_V1 } from "./networks.js";
import { ART_362_1_TER, ART_382_BIS } from "./penal.js";
import { ART_384_BIS, ART_384_BIS_POLICE, ART_384_BIS_POLICE_V1, ART_384_BIS_V1 } from "./removal.js";
import { PROGRAMME_AMMONIMENTO, PROGRAMME_PRECAUTIONARY, PROGRAMME_SUSPENDED_SENTENCE } from "./programmes.js";
import { PROGRAMME_SUSPENDED_SENTENCE_V2 } from "./suspended-sentence.js";
import {
  ASSOCIATIONS_REPORT, COMPLIANCE_HALF_YEARLY, COMPLIANCE_QUARTERLY, NATIONAL_REGISTER, PARLIAMENT_REPORT, REGIONAL_REPORT,
} from "./reporting.js";

/** A definition checked against the schema (and its cross-field rules), with its defaults filled in. */
export function loadTimeline(input: TimelineInput): TimelineDefinition {
  const r = TimelineDefinition.safeParse(input);
  if (!r.success) throw new Error(`timeline ${input.id} v${input.version}: ${z.prettifyError(r.error)}`);
  return r.data;
}

const SOURCES: readonly TimelineInput[] = [
  ART_362_BIS, ART_362_1_TER, ART_384_BIS_V1, ART_384_BIS, ART_384_BIS_POLICE_V1, ART_384_BIS_POLICE, ART_382_BIS, INDEMNITY_CLAIM, AMMONIMENTO_REVOCATION, VIGILANCE_REVIEW,
  PROGRAMME_SUSPENDED_SENTENCE, PROGRAMME_SUSPENDED_SENTENCE_V2, PROGRAMME_AMMONIMENTO, PROGRAMME_PRECAUTIONARY, REGISTER_CHANGES, REGISTER_APPLICATION,
  TURIN_PROTOCOL_V1, TURIN_PROTOCOL, LOMBARDY_BIENNIAL_REPORT, LOMBARDY_NETWORK_REPORT_V1, LOMBARDY_NETWORK_REPORT,
  COMPLIANCE_QUARTERLY, COMPLIANCE_HALF_YEARLY, REGIONAL_REPORT, PARLIAMENT_REPORT, ASSOCIATIONS_REPORT, NATIONAL_REGISTER,
];

/** What catalogue.generated.json must contain: the file's exact text. */
export function generatedCatalogue(): string {
  return `${JSON.stringify(SOURCES.map(loadTimeline), null, 1)}\n`;
}
