import { KeptPerVersion, type DataVersion } from '../../src/database/data-version.js';

describe('KeptPerVersion', () => {
  const setup = () => {
    const version = { current: undefined as string | undefined };
    let loads = 0;
    let fail = false;
    const kept = new KeptPerVersion(version as DataVersion, async () => {
      loads++;
      if (fail) throw new Error('database unavailable');
      return `value ${loads} under ${version.current}`;
    });
    return { version, kept, loads: () => loads, failNext: (value: boolean) => (fail = value) };
  };

  it('works the value out once per data version, for callers at once too', async () => {
    const { version, kept, loads } = setup();
    version.current = '7';
    const [a, b] = await Promise.all([kept.get(), kept.get()]);
    expect([a, b, await kept.get()]).toEqual(['value 1 under 7', 'value 1 under 7', 'value 1 under 7']);
    version.current = '8';
    expect(await kept.get()).toBe('value 2 under 8');
    expect(loads()).toBe(2);
  });

  it('keeps nothing while the version is unknown', async () => {
    const { kept, loads } = setup();
    await kept.get();
    await kept.get();
    expect(loads()).toBe(2);
  });

  it('does not keep a failed load', async () => {
    const { version, kept, failNext } = setup();
    version.current = '3';
    failNext(true);
    await expect(kept.get()).rejects.toThrow('database unavailable');
    failNext(false);
    expect(await kept.get()).toBe('value 2 under 3');
  });

  it('keeps a value under the version its load began in: a write during the load means the next caller loads again', async () => {
    const version = { current: '1' as string | undefined };
    const loads: ((value: string) => void)[] = [];
    const kept = new KeptPerVersion(version as DataVersion, () => new Promise<string>((resolve) => loads.push(resolve)));
    const first = kept.get();
    version.current = '2';
    const second = kept.get();
    loads[0]('read before the write');
    loads[1]('read after the write');
    expect([await first, await second, await kept.get()]).toEqual(['read before the write', 'read after the write', 'read after the write']);
    expect(loads).toHaveLength(2);
  });
});
