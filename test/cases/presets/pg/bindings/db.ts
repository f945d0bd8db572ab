import { Pool } from 'pg';

export const primary = new Pool({ database: 'app' });
export const analytics = new Pool({ database: 'warehouse' });
