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

/** pg-types' `builtins`: the type OIDs node-postgres names (drizzle's driver reads TIMESTAMPTZ, DATE… from `pg.types.builtins`). */
export const PG_TYPE_BUILTINS: Readonly<Record<string, number>> = {"BOOL":16,"BYTEA":17,"CHAR":18,"INT8":20,"INT2":21,"INT4":23,"REGPROC":24,"TEXT":25,"OID":26,"TID":27,"XID":28,"CID":29,"JSON":114,"XML":142,"PG_NODE_TREE":194,"SMGR":210,"PATH":602,"POLYGON":604,"CIDR":650,"FLOAT4":700,"FLOAT8":701,"ABSTIME":702,"RELTIME":703,"TINTERVAL":704,"CIRCLE":718,"MACADDR8":774,"MONEY":790,"MACADDR":829,"INET":869,"ACLITEM":1033,"BPCHAR":1042,"VARCHAR":1043,"DATE":1082,"TIME":1083,"TIMESTAMP":1114,"TIMESTAMPTZ":1184,"INTERVAL":1186,"TIMETZ":1266,"BIT":1560,"VARBIT":1562,"NUMERIC":1700,"REFCURSOR":1790,"REGPROCEDURE":2202,"REGOPER":2203,"REGOPERATOR":2204,"REGCLASS":2205,"REGTYPE":2206,"UUID":2950,"TXID_SNAPSHOT":2970,"PG_LSN":3220,"PG_NDISTINCT":3361,"PG_DEPENDENCIES":3402,"TSVECTOR":3614,"TSQUERY":3615,"GTSVECTOR":3642,"REGCONFIG":3734,"REGDICTIONARY":3769,"JSONB":3802,"REGNAMESPACE":4089,"REGROLE":4096};

/**
 * node-postgres' `types` as the shims give it: the builtins' OIDs, and type parsers that
 * return the value they are given — a query's values come out of the embedded store
 * already typed (SQLite's integers, reals, text), so a parser has nothing to do. A query
 * config's own `types` (drizzle passes one) is accepted and likewise not applied.
 */
export const PG_TYPES = {
  builtins: PG_TYPE_BUILTINS,
  getTypeParser: (_oid?: number, _format?: string) => (value: string) => value,
  setTypeParser: (): void => undefined,
};
