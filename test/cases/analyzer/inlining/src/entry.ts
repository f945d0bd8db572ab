import { Repo, depth, double, nameOf, pairOf, titleOf } from './helpers.js';

/** @stopline entry edge */
export async function compute(ids: number[]): Promise<number> {
  const first = await nameOf(1);
  const second = await nameOf(double(2));
  const pair = await pairOf(3, 4);
  const names = await Promise.all(ids.map((id) => titleOf(id)));
  const repo = new Repo('users');
  const users = await repo.count();
  const levels = await depth(users);
  return first.length + second.length + pair.length + names.length + levels;
}
