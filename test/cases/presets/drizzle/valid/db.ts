import { drizzle } from 'drizzle-orm/node-postgres';
import { Pool } from 'pg';
import { users } from './schema.js';

export const pool = new Pool();
export const db = drizzle(pool, { schema: { users } });
