/**
 * Errors of the PostgreSQL study store: each names the table, the row and what is wrong with it.
 *
 * @module
 */

/** A row written by another program or another version of moolab (wrong format, unparsable spec or record). */
export class ForeignRowError extends Error {
  override name = "ForeignRowError";
  /** The table and primary key of the row. */
  readonly table: string;
  readonly rowId: string | number;
  constructor(table: string, rowId: string | number, problem: string) {
    super(`${table} row ${rowId}: ${problem}`);
    this.table = table;
    this.rowId = rowId;
  }
}

/** The database's schema is newer than this library knows, or its migration table is damaged. */
export class SchemaVersionError extends Error {
  override name = "SchemaVersionError";
}

/** A job that failed on every attempt: its last error, never silently dropped. */
export class JobFailedError extends Error {
  override name = "JobFailedError";
  readonly specKey: string;
  readonly attempts: number;
  constructor(specKey: string, attempts: number, error: string) {
    super(`run ${specKey} failed after ${attempts} attempt(s): ${error}`);
    this.specKey = specKey;
    this.attempts = attempts;
  }
}
