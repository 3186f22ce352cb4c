/** Every route's contract, gathered for /openapi.json (each lives beside its handler). */
import type { Contract } from "../http/contract.js";
import { calendarsContracts } from "./calendars.js";
import { caseEventsContracts } from "./case-events.js";
import { casesContracts } from "./cases.js";
import { indexContracts } from "./index-route.js";
import { officeDeadlinesContracts } from "./office-deadlines.js";
import { outboxContracts } from "./outbox.js";
import { previewContracts } from "./preview.js";
import { qstashContracts } from "./qstash.js";
import { reportsContracts } from "./reports.js";
import { subscriptionsContracts } from "./subscriptions.js";
import { termsContracts } from "./terms.js";
import { migrateContracts } from "./timeline-migrate.js";
import { districtContracts } from "./districts.js";
import { integrityContracts } from "./integrity.js";
import { auditLogContracts } from "./audit-log.js";
import { timelinesContracts } from "./timelines.js";
import { webhooksContracts } from "./webhooks.js";

export const CONTRACTS: readonly Contract[] = [
  ...indexContracts, ...termsContracts, ...calendarsContracts, ...timelinesContracts, ...previewContracts, ...migrateContracts, ...districtContracts, ...integrityContracts, ...auditLogContracts,
  ...casesContracts, ...caseEventsContracts, ...officeDeadlinesContracts, ...outboxContracts, ...reportsContracts,
  ...subscriptionsContracts, ...webhooksContracts, ...qstashContracts,
];
