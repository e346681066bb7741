/**
 * Reads gathered per turn of the event loop: `load(key)` calls made in one turn become one call of `read` with all
 * their keys (DataLoader, without its cache: every read sees the store as it is). `read` answers a map; a key it
 * leaves out loads as undefined. For the hot reads of online verification (a code's colour, a checkpoint's hint).
 */
import DataLoader from 'dataloader';

export function gathered<K, V>(read: (keys: readonly K[]) => Promise<Map<K, V>>, maxBatchSize = 1000): { load(key: K): Promise<V | undefined> } {
  return new DataLoader<K, V | undefined>(async (keys) => {
    const found = await read(keys);
    return keys.map((k) => found.get(k));
  }, { cache: false, maxBatchSize });
}
