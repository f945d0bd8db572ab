const kv = await Deno.openKv();

export async function handlers(id: number) {
  const cart = await kv.get(['carts', id]);
  await kv.getMany([['carts', 1], ['carts', 2]]);
  for await (const entry of kv.list({ prefix: ['carts'] })) void entry;
  await kv.set(['carts', id], { items: [] });
  await kv.delete(['carts', id]);
  await kv.atomic().check(cart).set(['n'], 1).delete(['old']).commit();
  kv.close();
}
