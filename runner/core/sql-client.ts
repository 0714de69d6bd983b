/**
 * How cutover reads a store: `@name` parameters only, never concatenated values. Implemented by
 * mssql (real SQL Server) and better-sqlite3 (the lab). Queries are read-only, name their columns
 * and use the subset of SQL both dialects accept.
 */
export type SqlParam = string | number | null

export interface SqlClient {
  /** Runs one read-only query and returns its rows. */
  query<Row extends object>(sql: string, params?: Readonly<Record<string, SqlParam>>): Promise<Row[]>
  close(): Promise<void>
}
