import { dateHorizon, findCatalogProblems } from '../../src/catalog/check.js';
import type { Catalog } from '../../src/catalog/schema.js';
import { readSeedCatalog } from '../../src/seed/seed-loader.js';

describe('the date horizon', () => {
  it('is the calendar date in China (UTC+8)', () => {
    expect(dateHorizon(new Date('2026-12-03T15:59:59.999Z'))).toBe('2026-12-03');
    expect(dateHorizon(new Date('2026-12-03T16:00:00Z'))).toBe('2026-12-04');
    expect(dateHorizon(new Date('2026-12-31T23:00:00Z'))).toBe('2027-01-01');
  });

  it('takes a figure as of the horizon and refuses one a day beyond, and so for a source', () => {
    const seed = readSeedCatalog();
    const figure = seed.observations[0];
    const sourceIndex = seed.sources.findIndex((s) => s.id === figure.source);
    const catalog = (asOf: string, publishedOn: string): Catalog => ({
      ...seed,
      sources: seed.sources.map((s, i) => (i === sourceIndex ? { ...s, publishedOn } : s)),
      observations: [{ ...figure, asOf, periodStart: null }],
    });
    const problems = (asOf: string, publishedOn: string) => findCatalogProblems(catalog(asOf, publishedOn), undefined, '2026-12-03').map((p) => p.pointer);
    expect(problems('2026-12-03', '2026-12-03')).toEqual([]);
    expect(problems('2026-12-04', '2026-12-03')).toEqual(['/observations/0/asOf']);
    expect(problems('2026-12-03', '2026-12-04')).toEqual([`/sources/${sourceIndex}/publishedOn`]);
  });
});
