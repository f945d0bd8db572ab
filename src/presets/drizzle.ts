import type { CallRule, Preset } from './types.js';

/**
 * Drizzle ORM. Its database classes (PgDatabase, MySqlDatabase, BaseSQLiteDatabase,
 * SingleStoreDatabase, GelDatabase; driver classes such as NodePgDatabase extend them)
 * declare select/insert/update/delete; relational queries (`db.query.users.findMany()`)
 * are declared on `RelationalQueryBuilder`. The access is the call on the database:
 * `db.select()` in `db.select().from(users)`.
 */
const module = 'drizzle-orm';
const owners = ['*Database', '*Database.with'];
const reads = ['select', 'selectDistinct', 'selectDistinctOn', '$count'];
const writes = ['insert', 'update', 'delete', 'transaction', 'batch', 'refreshMaterializedView'];
// Raw SQL: `db.execute(sql`…`)`; SQLite's run/all/get/values.
const raw = ['execute', 'run', 'all', 'get', 'values'];

const calls: CallRule[] = [
  ...owners.flatMap((owner) => [
    ...reads.map((name): CallRule => ({ match: { module, owner, name }, op: 'read' })),
    ...writes.map((name): CallRule => ({ match: { module, owner, name }, op: 'write' })),
  ]),
  ...raw.map((name): CallRule => ({ match: { module, owner: '*Database', name }, op: { sql: { argument: 0 } } })),
  { match: { module, owner: '*RelationalQueryBuilder', name: 'findMany' }, op: 'read' },
  { match: { module, owner: '*RelationalQueryBuilder', name: 'findFirst' }, op: 'read' },
];

export const drizzlePreset: Preset = {
  name: 'drizzle',
  description: 'Drizzle ORM databases: select/selectDistinct/query.<table>.findMany read, insert/update/delete write, execute classified by its SQL',
  packages: ['drizzle-orm'],
  store: { kind: 'sql', consistency: 'strong', home: 'origin', replicas: 'none', lowering: 'stopline:sql/query' },
  capability: null,
  calls,
  references: [],
  handles: [
    // The `tx` of `db.transaction(async (tx) => …)`: bound to its connection.
    { match: { module, owner: null, name: '*Transaction' }, kind: 'resource' },
    { match: { module, owner: null, name: '*Database' }, kind: 'store-handle' },
  ],
};
