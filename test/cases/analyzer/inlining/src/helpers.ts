import pg from 'pg';

export const pool = new pg.Pool();

export function double(n: number): number {
  return n * 2;
}

export async function nameOf(id: number): Promise<string> {
  const { rows } = await pool.query<{ name: string }>('select name from users where id = $1', [id]);
  return rows[0]?.name ?? '';
}

export async function pairOf(a: number, b: number): Promise<string> {
  return `${await nameOf(a)} & ${await nameOf(b)}`;
}

export const titleOf = async (id: number): Promise<string> => (await nameOf(id)).toUpperCase();

export class Repo {
  constructor(readonly table: string) {}

  async count(): Promise<number> {
    const result = await pool.query(`select count(*) from ${this.table}`);
    return result.rowCount ?? 0;
  }
}

export async function depth(id: number): Promise<number> {
  const { rows } = await pool.query<{ parent: number | null }>('select parent from nodes where id = $1', [id]);
  const parent = rows[0]?.parent ?? null;
  return parent === null ? 0 : 1 + (await depth(parent));
}
