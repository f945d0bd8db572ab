/**
 * A drizzle database made over a node-postgres handle: `drizzle(pool)` keeps the handle as
 * `db.$client`. Binding the database (`binding: src/db.ts#db`) binds that handle, so the
 * real drizzle-orm's queries land on the pg shim's store.
 */
export function createDrizzleBinding(db: unknown, bindClient: (client: unknown) => boolean): boolean {
  if ((typeof db !== 'object' && typeof db !== 'function') || db === null) return false;
  const client = (db as { $client?: unknown }).$client;
  return client !== undefined && bindClient(client);
}
