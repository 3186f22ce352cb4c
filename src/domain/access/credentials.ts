/**
 * API credentials, issued by an administrator: a name, what the holder is
 * (an office's system; a region's or the Ministry's, which read reports
 * only), its offices or region, and the purpose its reads serve (art. 21
 * D.Lgs. 51/2018: the audit log's reason unless a request states one). The
 * token is shown once, in the answer that made it; only its SHA-256 is
 * kept. Revoking is immediate. Administrators' own credentials are not
 * issued here: an administrator signs in.
 */
import { and, eq, isNull } from "drizzle-orm";
import { sha256Hex } from "../../lib/digest.js";
import type { Principal } from "../../auth/principal.js";
import { auditInsert } from "../../db/audit.js";
import type { Db } from "../../db/client.js";
import { apiCredentials, credentialOffices, offices } from "../../db/schema.js";
import { DomainFailure } from "../failure.js";

export const ISSUED_ROLES = ["staff", "region", "ministry"] as const;
export type IssuedRole = (typeof ISSUED_ROLES)[number];

export interface CredentialInput {
  name: string;
  role: IssuedRole;
  offices: readonly string[];
  region: string | null;
  purpose: string;
}

/** What is wrong with a request for a credential, field by field (none: it can be issued). */
export async function credentialProblems(db: Db, input: CredentialInput): Promise<{ field: string; message: string }[]> {
  const problems: { field: string; message: string }[] = [];
  if (input.name.trim().length < 3 || input.name.length > 100) problems.push({ field: "nome", message: "Nome richiesto, da 3 a 100 caratteri: il sistema che la userà." });
  if (input.purpose.trim().length < 10 || input.purpose.length > 200) problems.push({ field: "finalita", message: "Finalità richiesta, da 10 a 200 caratteri: il registro la riporta per ogni consultazione." });
  const all = await db.select({ id: offices.id, kind: offices.kind, region: offices.region }).from(offices).all();
  if (input.role === "staff") {
    if (input.offices.length === 0) problems.push({ field: "uffici-elenco", message: "Scelga almeno un ufficio." });
    else if (input.offices.some((o) => !all.some((x) => x.id === o))) problems.push({ field: "uffici-elenco", message: "Uno degli uffici scelti non è più in rubrica." });
  }
  if (input.role === "region" && !all.some((o) => o.kind === "regione" && o.region === input.region)) problems.push({ field: "regione", message: "Scelga la regione." });
  return problems;
}

/** Issues it (after credentialProblems found nothing): the token, never stored, and the credential's id. */
export async function issueCredential(db: Db, p: Principal, input: CredentialInput, requestId: string | null, now: number): Promise<{ id: string; token: string }> {
  const problems = await credentialProblems(db, input);
  if (problems.length > 0) throw new DomainFailure("invalid_body", problems.map((x) => x.message).join(" "), { parameter: problems[0]!.field });
  const id = `cred_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const token = `trm_${btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")}`;
  const officeIds = input.role === "staff" ? [...new Set(input.offices)] : [];
  await db.batch([
    db.insert(apiCredentials).values({
      id, name: input.name.trim(), tokenHash: await sha256Hex(token), role: input.role, createdAt: now, revokedAt: null,
      region: input.role === "region" ? input.region : null, purpose: input.purpose.trim(),
    }),
    ...officeIds.map((officeId) => db.insert(credentialOffices).values({ credentialId: id, officeId })),
    auditInsert(db, { actor: p.id, action: "credential.issued", caseId: null, requestId, detail: { credential: id, role: input.role, offices: officeIds, region: input.region, purpose: input.purpose.trim() } }, now),
  ]);
  return { id, token };
}

/** Revoked at once: the next request with it is refused. False if it was not active. */
export async function revokeCredential(db: Db, p: Principal, id: string, requestId: string | null, now: number): Promise<boolean> {
  const revoked = await db.update(apiCredentials).set({ revokedAt: now }).where(and(eq(apiCredentials.id, id), isNull(apiCredentials.revokedAt)))
    .returning({ id: apiCredentials.id }).all();
  if (revoked.length === 0) return false;
  await auditInsert(db, { actor: p.id, action: "credential.revoked", caseId: null, requestId, detail: { credential: id } }, now).run();
  return true;
}
