import mysql from 'mysql2';

const legacy = mysql.createPool({ host: 'localhost' });

export function legacyQuery(): void {
  legacy.query('select 1', () => undefined);
}
