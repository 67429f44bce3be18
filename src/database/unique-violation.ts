import { QueryFailedError } from 'typeorm';

/**
 * Whether a failed statement was refused by a unique index (PostgreSQL 23505, SQLite's UNIQUE or
 * PRIMARY KEY constraint): the row it would have written exists already.
 */
export function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const driverError = err.driverError as { code?: string; message?: string } | undefined;
  if (driverError?.code === '23505') return true;
  return driverError?.code === 'SQLITE_CONSTRAINT' && /UNIQUE|PRIMARY KEY/i.test(driverError.message ?? '');
}
