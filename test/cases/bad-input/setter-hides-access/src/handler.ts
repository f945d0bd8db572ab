import { pool } from './db.js';

const profile = {
  set name(value: string) {
    void pool.query('UPDATE users SET name = $1', [value]);
  },
};

export function rename(name: string): string {
  profile.name = name.trim();
  return name;
}
