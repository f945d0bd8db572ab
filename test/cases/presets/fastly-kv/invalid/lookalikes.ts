import type { KVStoreEntry } from 'fastly:kv-store';

class KVStore {
  get(key: string): string {
    return key;
  }
  put(key: string, value: string): void {
    void key;
    void value;
  }
}

export async function lookalikes(entry: KVStoreEntry) {
  const mine = new KVStore();
  mine.get('a');
  mine.put('a', 'b');
  await entry.text();
  new Map<string, string>().delete('a');
}
