export function stripSqlComments(sql: string): string;
