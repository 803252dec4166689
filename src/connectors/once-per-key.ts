// A look-up made once per key for a connector's life (a run), shared by the writes that need it: a school's work
// types, a class's periods, ЭПОС's control forms. A look-up that failed is forgotten, not kept: the push writes a
// school in chunks on one connector, and one refused or timed-out answer used to fail every mark of every later chunk.
export function oncePerKey<K, V>(load: (key: K) => Promise<V>): (key: K) => Promise<V> {
  const held = new Map<K, Promise<V>>();
  return (key) => {
    let p = held.get(key);
    if (!p) {
      p = load(key);
      held.set(key, p);
      // The entry is dropped by the rejection only if it is still this attempt (a later call may have replaced it).
      p.catch(() => { if (held.get(key) === p) held.delete(key); });
    }
    return p;
  };
}
