import { BoundedEntries } from '../../src/http/bounded-entries.js';

describe('BoundedEntries', () => {
  it('drops the oldest entries past the count bound', () => {
    const entries = new BoundedEntries<string>(2, 1_000);
    entries.set('a', 'A', 10);
    entries.set('b', 'B', 10);
    entries.set('c', 'C', 10);
    expect([entries.get('a'), entries.get('b'), entries.get('c')]).toEqual([undefined, 'B', 'C']);
    expect([entries.size, entries.bytes]).toEqual([2, 20]);
  });

  it('drops the oldest entries until the new one fits in the byte bound, and keeps none larger than it', () => {
    const entries = new BoundedEntries<string>(100, 100);
    entries.set('a', 'A', 40);
    entries.set('b', 'B', 40);
    entries.set('c', 'C', 50);
    expect([entries.get('a'), entries.get('b'), entries.get('c')]).toEqual([undefined, 'B', 'C']);
    expect(entries.bytes).toBe(90);
    expect(entries.set('huge', 'H', 101)).toBe(false);
    expect([entries.get('huge'), entries.bytes]).toEqual([undefined, 90]);
  });

  it('replaces an entry kept under the same key without dropping another', () => {
    const entries = new BoundedEntries<string>(2, 1_000);
    entries.set('a', 'A', 10);
    entries.set('b', 'B', 10);
    entries.set('b', 'B2', 30);
    expect([entries.get('a'), entries.get('b'), entries.size, entries.bytes]).toEqual(['A', 'B2', 2, 40]);
  });

  it('counts an entry grown later, dropping older ones to make room, and forgets everything on clear', () => {
    const entries = new BoundedEntries<string>(10, 100);
    entries.set('a', 'A', 40);
    entries.set('b', 'B', 40);
    entries.grow('b', 30);
    expect([entries.get('a'), entries.get('b'), entries.bytes]).toEqual([undefined, 'B', 70]);
    entries.grow('b', 40);
    expect([entries.get('b'), entries.bytes]).toEqual([undefined, 0]);
    entries.set('c', 'C', 5);
    entries.clear();
    expect([entries.size, entries.bytes, entries.get('c')]).toEqual([0, 0, undefined]);
  });
});
