/**
 * GET /api/v1/integrity — administrators see what the data's invariants found broken: cases held
 * outside their owner office's district, cases waiting for the move, references that could not
 * take their canonical spelling. POST …/references/{caseId}/withdraw withdraws such a duplicate.
 */
import { REASON_HEADER_DOC, requestReason } from "../http/reason.js";
import * as z from "zod";
import { bearer } from "../auth/bearer.js";
import { requireAdmin } from "../auth/principal.js";
import { auditIntegrityRead, checkIntegrity, withdrawDuplicate } from "../domain/cases/integrity.js";
import { pathParam } from "../http/query.js";
import { AUTH_PROBLEMS, contract } from "../http/contract.js";
import { createRouter } from "../http/router.js";

export const integrityRoutes = createRouter();

integrityRoutes.get("/", bearer, async (c) => {
  requireAdmin(c.get("principal"));
  const found = await checkIntegrity(c.env);
  await auditIntegrityRead(c.env, c.get("principal").id, c.get("requestId"), found, requestReason(c));
  return c.json(found);
});

const CaseId = z.uuid("identificativo interno del procedimento (da GET /api/v1/integrity)");

integrityRoutes.post("/references/:caseId/withdraw", bearer, async (c) => {
  const p = c.get("principal");
  requireAdmin(p);
  const withdrawn = await withdrawDuplicate(c.env, p, pathParam(CaseId, c.req.param("caseId"), "caseId"), Date.now(), c.get("requestId"));
  return c.json({ withdrawn });
});

const IntegritySchema = z.object({
  misplaced: z.array(z.object({
    ref: z.string(), office: z.string().describe("Ufficio titolare"),
    district: z.string().describe("Distretto il cui database contiene il procedimento"), belongsTo: z.string().describe("Distretto dell'ufficio titolare, dove dovrebbe stare"),
  })).describe("Procedimenti fuori dal distretto dell'ufficio titolare (al più 100 per distretto)"),
  awaitingMove: z.number().int().describe("Procedimenti di distretti con un proprio database ancora nel database centrale (spostamento in corso)"),
  referenceCollisions: z.array(z.object({
    caseId: z.string(), ref: z.string().describe("Riferimento com'è conservato"), canonical: z.string().describe("La sua forma canonica, già di un altro procedimento dello stesso ufficio"),
    office: z.string(), otherCaseId: z.string(), running: z.boolean().describe("Se ha scadenzari in corso (che inviano promemoria e segnalazioni)"), district: z.string().nullable(),
  })).describe("Riferimenti che non hanno potuto assumere la forma canonica: duplicati da ritirare"),
});

export const integrityContracts = [contract({
  method: "get", path: "/api/v1/integrity", operationId: "checkIntegrity", tag: "Amministrazione", security: "bearer", headers: [REASON_HEADER_DOC],
  summary: "Controllo dei dati: procedimenti fuori distretto, in attesa di spostamento, riferimenti duplicati",
  responses: { 200: { description: "Esito del controllo", schema: IntegritySchema } },
  problems: [...AUTH_PROBLEMS],
}), contract({
  method: "post", path: "/api/v1/integrity/references/{caseId}/withdraw", operationId: "withdrawDuplicateCase", tag: "Amministrazione", security: "bearer",
  summary: "Ritira un procedimento duplicato: i suoi scadenzari in corso sono ritirati (gli uffici ne sono avvisati) e il procedimento esce dall'elenco",
  params: z.object({ caseId: CaseId }),
  responses: { 200: { description: "Scadenzari ritirati", schema: z.object({ withdrawn: z.number().int() }) } },
  problems: [...AUTH_PROBLEMS, "invalid_parameter", "not_found"],
})];
