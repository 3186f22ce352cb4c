/**
 * The D1 API over a Durable Object's own SQLite, so that Drizzle and every
 * line of the domain run unchanged on a throwaway database (the preview).
 * Only what Drizzle's D1 driver and src/db call: prepare/bind, all, raw,
 * first, run, batch (one transaction, as D1's).
 */
type Value = string | number | null | ArrayBuffer;

interface Outcome {
  rows: Record<string, Value>[];
  raw: Value[][];
  columns: string[];
  changes: number;
  lastRowId: number;
}

function toValue(v: unknown): Value {
  if (v === undefined) throw new TypeError("D1_TYPE_ERROR: undefined is not a supported value");
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "bigint") return Number(v);
  return v as Value;
}

class Statement {
  constructor(private readonly storage: DurableObjectStorage, readonly query: string, readonly params: readonly Value[] = []) {}

  bind(...values: unknown[]): Statement {
    return new Statement(this.storage, this.query, values.map(toValue));
  }

  /** Runs now (inside the caller's transaction when batched). */
  execute(): Outcome {
    const cursor = this.storage.sql.exec(this.query, ...this.params);
    const raw = [...cursor.raw()];
    const columns = cursor.columnNames;
    const rows = raw.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? null])));
    // changes() is the connection's count for the last statement, as D1's meta.changes.
    const { c, id } = this.storage.sql.exec<{ c: number; id: number }>("SELECT changes() AS c, last_insert_rowid() AS id").one();
    return { rows, raw, columns, changes: c, lastRowId: id };
  }

  result(o: Outcome): D1Result<Record<string, Value>> {
    const meta = {
      duration: 0, size_after: 0, rows_read: 0, rows_written: o.changes, last_row_id: o.lastRowId,
      changed_db: o.changes > 0, changes: o.changes,
    };
    return { results: o.rows, success: true, meta } as unknown as D1Result<Record<string, Value>>;
  }

  async all(): Promise<D1Result<Record<string, Value>>> {
    return this.result(this.execute());
  }

  async run(): Promise<D1Result<Record<string, Value>>> {
    return this.result(this.execute());
  }

  async first(column?: string): Promise<unknown> {
    const row = this.execute().rows[0];
    if (row === undefined) return null;
    return column === undefined ? row : row[column];
  }

  async raw(options?: { columnNames?: boolean }): Promise<Value[][]> {
    const o = this.execute();
    return options?.columnNames === true ? [o.columns, ...o.raw] : o.raw;
  }
}

export class SqlD1 {
  constructor(private readonly storage: DurableObjectStorage) {}

  prepare(query: string): Statement {
    return new Statement(this.storage, query);
  }

  /** All or nothing, like D1's batch. */
  async batch(statements: Statement[]): Promise<D1Result<Record<string, Value>>[]> {
    return this.storage.transactionSync(() => statements.map((s) => s.result(s.execute())));
  }

  asD1(): D1Database {
    return this as unknown as D1Database;
  }
}
