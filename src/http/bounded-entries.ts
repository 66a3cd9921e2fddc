/**
 * Entries in the order they were kept, under a bound on their number and on their bytes: keeping
 * one more drops the oldest until both bounds hold. An entry larger than the byte bound is not kept.
 */
export class BoundedEntries<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private total = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.total;
  }

  *values(): IterableIterator<V> {
    for (const entry of this.entries.values()) yield entry.value;
  }

  get(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** Keeps `value` under `key` (replacing what was there), counted as `bytes`; false when it is too large to keep. */
  set(key: string, value: V, bytes: number): boolean {
    this.delete(key);
    if (bytes > this.maxBytes) return false;
    this.makeRoom(bytes);
    this.entries.set(key, { value, bytes });
    this.total += bytes;
    return true;
  }

  /** Counts `bytes` more against a kept entry (a second encoding made later), dropping older ones to make room. */
  grow(key: string, bytes: number): void {
    const entry = this.entries.get(key);
    if (entry) this.set(key, entry.value, entry.bytes + bytes);
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.total -= entry.bytes;
  }

  /** Drops the oldest entries until one more of `bytes` fits. */
  private makeRoom(bytes: number): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size < this.maxEntries && this.total + bytes <= this.maxBytes) return;
      this.delete(key);
    }
  }
}
