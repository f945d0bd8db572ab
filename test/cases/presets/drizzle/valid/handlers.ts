import { eq, sql } from 'drizzle-orm';
import { db } from './db.js';
import { users } from './schema.js';

export async function handlers(id: number) {
  await db.select().from(users).where(eq(users.id, id));
  await db.selectDistinct({ name: users.name }).from(users);
  await db.query.users.findMany();
  await db.query.users.findFirst({ where: eq(users.id, id) });
  await db.insert(users).values({ name: 'a' });
  await db.update(users).set({ name: 'b' }).where(eq(users.id, id));
  await db.delete(users).where(eq(users.id, id));
  await db.execute(sql`select count(*) from ${users}`);
  await db.execute(sql`delete from users`);
  await db.transaction(async (tx) => {
    await tx.insert(users).values({ name: 'c' });
  });
}
