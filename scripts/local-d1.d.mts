export interface MigrationSummary { binding: string; total: number; applied: number }
export function prepareLocalState(state: string, options?: { config?: string; bindings?: readonly string[]; seeds?: readonly { binding: string; file: string }[] }): Promise<MigrationSummary[]>;
export function queryLocal(state: string, binding: string, sqls: readonly string[], options?: { config?: string }): Promise<Record<string, unknown>[][]>;
export function executeLocal(state: string, binding: string, sql: string, options?: { config?: string }): Promise<void>;
