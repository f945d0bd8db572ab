/**
 * node-postgres' call shapes that do not depend on where the database is: result and
 * field types, its fixed messages and limits. Shared by the Node shim (src/runtime/shims)
 * and the guest lowering inside components (codegen/lower). Plain web JavaScript.
 */

export const ALREADY_RELEASED = 'Release called on client which has already been released to the pool.';

/** Commands whose completion tag carries a row count in pg. */
export const COUNTED = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'VALUES', 'WITH', 'TABLE', 'FETCH', 'MOVE', 'COPY']);

export type Callback = (error: Error | null, result?: PgQueryResult) => void;

export const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export interface PgFieldDef {
  readonly name: string;
  readonly tableID: number;
  readonly columnID: number;
  readonly dataTypeID: number;
  readonly dataTypeSize: number;
  readonly dataTypeModifier: number;
  readonly format: 'text';
}

export interface PgQueryResult {
  readonly command: string;
  readonly rowCount: number | null;
  readonly oid: null;
  readonly rows: unknown[];
  readonly fields: PgFieldDef[];
  readonly rowAsArray: boolean;
}

export function field(name: string): PgFieldDef {
  return { name, tableID: 0, columnID: 0, dataTypeID: 0, dataTypeSize: -1, dataTypeModifier: -1, format: 'text' };
}
