/**
 * One Durable Object per preview: its own SQLite, built from the migrations,
 * holds the throwaway case while the events run, and is wiped before the
 * answer leaves. Nothing of a preview reaches D1, the audit log or a report.
 */
import { DurableObject } from "cloudflare:workers";
import { database } from "../db/client.js";
import type { Bindings } from "../env.js";
import { DomainFailure } from "../domain/failure.js";
import { type PreviewInput, type PreviewResult, runPreview } from "./run.js";
import { MIGRATIONS } from "./schema-sql.js";
import { SqlD1 } from "./sql-d1.js";

export type PreviewAnswer =
  | { ok: true; result: PreviewResult }
  | { ok: false; code: DomainFailure["code"]; detail: string; extra: Readonly<Record<string, unknown>> };

export class PreviewRoom extends DurableObject<Bindings> {
  async run(input: PreviewInput): Promise<PreviewAnswer> {
    try {
      for (const m of MIGRATIONS) this.ctx.storage.sql.exec(m.sql);
      const result = await runPreview(database(new SqlD1(this.ctx.storage).asD1()), input);
      return { ok: true, result };
    } catch (err) {
      // A refusal crosses the RPC boundary as data: the route turns it back into problem+json.
      if (err instanceof DomainFailure) return { ok: false, code: err.code, detail: err.detail, extra: { ...err.facts } };
      throw err;
    } finally {
      await this.ctx.storage.deleteAll();
    }
  }
}
