import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sourcesDir } from '../../src/config/paths.js';
import { normalizePrinted } from '../../src/observations/printed-value.js';
import { checkCatalog } from '../../src/seed/catalog-check.js';
import { readSeedCatalog } from '../../src/seed/seed-loader.js';

const catalog = readSeedCatalog();
const dir = sourcesDir(process.env.SOURCES_DIR);
const haveSources = existsSync(dir);
const squash = (text: string) => text.replace(/\s+/g, '');
const documents = new Map(
  haveSources ? catalog.sources.map((s) => [s.id, squash(readFileSync(path.join(dir, s.fileName), 'utf8'))]) : [],
);

const label = (o: (typeof catalog.observations)[number]) => `${o.region} ${o.indicator} ${o.asOf}${o.reporter ? ` (${o.reporter})` : ''}`;
const cited = [
  ...catalog.observations.map((o) => ({ what: `observation ${label(o)}`, source: o.source, quote: o.quote })),
  ...catalog.programs.map((p) => ({ what: `program ${p.id}`, source: p.source, quote: p.quote })),
  ...catalog.pilotZones.flatMap((z) => [
    { what: `pilot zone ${z.region}`, source: z.source, quote: z.quote },
    ...z.distinctions.map((d) => ({ what: `distinction of ${z.region}: ${d.textEn}`, source: d.source, quote: d.quote })),
  ]),
];

describe('seed data', () => {
  it('is consistent: references resolve, keys are unique, values match their printed form', () => {
    expect(checkCatalog(catalog)).toEqual([]);
  });

  it('has about a hundred figures from all five documents', () => {
    expect(catalog.observations.length).toBeGreaterThanOrEqual(80);
    expect(new Set(catalog.observations.map((o) => o.source))).toEqual(new Set(catalog.sources.map((s) => s.id)));
  });

  describe.each(catalog.observations.map((o) => [label(o), o] as const))('%s', (_label, o) => {
    it('prints its number in its quote', () => {
      expect(squash(o.quote)).toContain(squash(o.valuePrinted));
    });

    it('equals the printed value times the unit scale', () => {
      expect(normalizePrinted(o.valuePrinted, o.unitPrinted).value).toBe(o.value);
    });

    it('explains an inferred date', () => {
      if (o.asOfInferred) expect(o.note ?? '').toMatch(/infer|implied|article|publication/i);
    });
  });

  (haveSources ? describe : describe.skip)(`quotes, checked against ${dir}`, () => {
    it.each(cited.map((c) => [c.what, c] as const))('%s is verbatim in its document', (_what, c) => {
      const document = documents.get(c.source);
      expect(document).toBeDefined();
      expect(document).toContain(squash(c.quote));
    });
  });

  if (!haveSources) {
    it(`NOTICE: quote check skipped, ${dir} is absent (set SOURCES_DIR to check quotes)`, () => {
      console.warn(`Seed quote check skipped: no source documents at ${dir}`);
    });
  }

  it('names the same source file the sources README lists', () => {
    for (const source of catalog.sources) expect(source.fileName).toBe(`${source.id}.txt`);
  });
});
