class Kv {
  get(key: string[]): string {
    return key.join('/');
  }
  set(key: string[], value: string): void {
    void key;
    void value;
  }
}

export async function lookalikes() {
  const mine = new Kv();
  mine.get(['a']);
  mine.set(['a'], 'b');
  const kv = await Deno.openKv();
  kv.atomic().set(['a'], 1);
  kv.close();
  new Map<string, number>().set('a', 1);
}
