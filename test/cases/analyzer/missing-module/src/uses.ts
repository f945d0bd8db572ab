import { connect } from 'not-a-real-module';
import { helper } from './nowhere.js';

/** @stopline entry edge */
export async function uses(id: string): Promise<string> {
  const db = connect();
  const row = await db.find(id);
  return helper(row);
}
