export async function denoKv() {
  const kv = await Deno.openKv();
  return kv.get(['carts', 1]);
}
