/** Who is calling, and which offices they act for. Access is per office. */
import type { Directory } from "../db/directory.js";
import { DomainFailure } from "../domain/failure.js";

export interface Principal {
  /** credential:<id> or sender:<id>: what the audit log records. */
  id: string;
  /** ministry and region officers read aggregated reports only. */
  role: "admin" | "staff" | "sender" | "ministry" | "region" | "dpo";
  offices: ReadonlySet<string>;
  /** A region officer's region. */
  region?: string | null;
  /** Event types a webhook sender may record whatever office is responsible (configured per sender). */
  trustedEvents?: ReadonlySet<string>;
  /** An API credential's declared purpose: the reason its reads are logged with unless a request states one. */
  purpose?: string | null;
}

/** The same, given the offices involved in the case (role → office id values). */
export function mayAccess(dir: Directory, p: Principal, involved: Iterable<string>): boolean {
  if (p.role === "admin") return true;
  if (!readsCases(p)) return false;
  const allowed = dir.withSuperiors(involved);
  return [...p.offices].some((o) => allowed.has(o));
}

/** Ministry and region officers read aggregated reports only, never a case; the data-protection officer reads the log only. */
export function readsCases(p: Principal): boolean {
  return p.role !== "ministry" && p.role !== "region" && p.role !== "dpo";
}

export function requireCaseReader(p: Principal): void {
  if (!readsCases(p)) throw new DomainFailure("forbidden", "Questa credenziale consulta solo dati aggregati (relazioni), non procedimenti");
}

export function requireOffice(p: Principal, officeId: string): void {
  requireCaseReader(p);
  if (p.role !== "admin" && !p.offices.has(officeId)) {
    throw new DomainFailure("forbidden", `La credenziale non opera per l'ufficio ${officeId}`);
  }
}

export function requireAdmin(p: Principal): void {
  if (p.role !== "admin") throw new DomainFailure("forbidden", "Operazione riservata agli amministratori");
}
