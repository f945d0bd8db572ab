import { eq } from 'drizzle-orm';
import { pgTable, serial, text } from 'drizzle-orm/pg-core';

const items = pgTable('items', { id: serial('id').primaryKey(), name: text('name') });

function select(table: string): string {
  return table;
}

const builder = { insert: (row: object) => row, delete: (id: number) => id };

export async function lookalikes() {
  select('items');
  builder.insert({ name: 'x' });
  builder.delete(1);
  eq(items.id, 1);
  await Promise.all([Promise.resolve(1)]);
  new Map<string, number>().values();
}
