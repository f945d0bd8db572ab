import pg, { Pool } from 'pg';

export const pool = new Pool({ connectionString: 'postgres://localhost/app' });
export const client = new pg.Client();
