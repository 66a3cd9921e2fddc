import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sourcesDir } from '../../src/config/paths.js';
import { normalizePrinted } from '../../src/catalog/printed-value.js';
import { checkCatalog } from '../../src/catalog/check.js';
import type { ObservationRow } from '../../src/catalog/schema.js';
import { readSeedCatalog } from '../../src/seed/seed-loader.js';
import { endOfStated, findPrintedToken, lastStatedDate, markersAt, monthsBetween, QUALIFIER_MARKERS, shortName, squash } from '../support/source-reading.js';

const catalog = readSeedCatalog();
const dir = sourcesDir(process.env.SOURCES_DIR);
// Only an explicit opt-out skips the checks against the documents; a missing directory fails.
const skipDocuments = process.env.SKIP_SOURCE_CHECKS === 'true';
const documents = new Map(existsSync(dir) ? catalog.sources.map((s) => [s.id, squash(readFileSync(path.join(dir, s.fileName), 'utf8'))]) : []);
const publishedOn = new Map(catalog.sources.map((s) => [s.id, s.publishedOn]));
const regionName = new Map(catalog.regions.map((r) => [r.code, shortName(r.nameZh)]));
const regionalNames = catalog.regions.filter((r) => r.code !== 'CN').map((r) => shortName(r.nameZh));

/**
 * Quotes that continue text printed elsewhere in their document (a page break inside a sentence),
 * with the text they continue. Written by hand; the test checks the document holds it.
 */
const CONTINUES: Record<string, string> = { 京市中关村国家自主创新示范区: '2023年,《北' };

const label = (o: ObservationRow) => `${o.region} ${o.indicator} ${o.asOf}${o.reporter ? ` (${o.reporter})` : ''}`;
const cited = [
  ...catalog.observations.map((o) => ({ what: `observation ${label(o)}`, source: o.source, quote: o.quote })),
  ...catalog.programs.map((p) => ({ what: `program ${p.id}`, source: p.source, quote: p.quote })),
  ...catalog.pilotZones.flatMap((z) => [
    { what: `pilot zone ${z.region}`, source: z.source, quote: z.quote },
    ...z.distinctions.map((d) => ({ what: `distinction of ${z.region}: ${d.textEn}`, source: d.source, quote: d.quote })),
  ]),
];

/** The document's text up to the figure's number: what a reader has read when they reach it. */
function readUpTo(o: ObservationRow, tokenIndex: number): string {
  const document = documents.get(o.source)!;
  const quote = squash(o.quote);
  const continued = Object.entries(CONTINUES).find(([start]) => quote.startsWith(start));
  if (continued) {
    expect(document).toContain(continued[1]);
    return `${continued[1]}${quote.slice(0, tokenIndex)}`;
  }
  return `${document.slice(0, document.indexOf(quote))}${quote.slice(0, tokenIndex)}`;
}

describe('seed data', () => {
  it('is consistent: references resolve, keys are unique, values match their printed form', () => {
    expect(checkCatalog(catalog)).toEqual([]);
  });

  it('has the figures of all five documents', () => {
    expect(catalog.observations.length).toBe(103);
    expect(new Set(catalog.observations.map((o) => o.source))).toEqual(new Set(catalog.sources.map((s) => s.id)));
  });

  describe.each(catalog.observations.map((o) => [label(o), o] as const))('%s', (_label, o) => {
    it('equals the printed value times the unit scale', () => {
      expect(normalizePrinted(o.valuePrinted, o.unitPrinted).value).toBe(o.value);
    });

    it('prints its number with its unit in its quote, not inside another number', () => {
      expect(findPrintedToken(o.quote, o.valuePrinted, o.unitPrinted)).toBeDefined();
    });

    it('carries the qualifier printed beside its number', () => {
      const token = findPrintedToken(o.quote, o.valuePrinted, o.unitPrinted)!;
      const markers = markersAt(o.quote, token, o.valuePrinted);
      if (o.qualifier === 'exact') expect(markers).toEqual([]);
      else expect(markers.filter((m) => QUALIFIER_MARKERS[o.qualifier].includes(m))).not.toEqual([]);
    });

    if (o.asOfInferred) {
      it('explains its inferred date in its note', () => {
        expect(o.note ?? '').toMatch(/infer|implied|article|publication/i);
      });
    }
  });

  if (skipDocuments) {
    it('SKIPPED: the checks against the source documents (SKIP_SOURCE_CHECKS=true)', () => {
      console.warn(`SKIP_SOURCE_CHECKS=true: no quote, date, qualifier or region was checked against ${dir}`);
    });
    return;
  }

  describe(`against the documents in ${dir}`, () => {
    it('finds the directory (set SOURCES_DIR, or SKIP_SOURCE_CHECKS=true to skip these checks loudly)', () => {
      expect(existsSync(dir)).toBe(true);
    });

    it('cites exactly the documents the directory holds', () => {
      const files = readdirSync(dir).filter((file) => file.endsWith('.txt'));
      expect(files.sort()).toEqual(catalog.sources.map((s) => s.fileName).sort());
      for (const source of catalog.sources) expect(source.fileName).toBe(`${source.id}.txt`);
    });

    it('dates each document to the end of the month its README infers', () => {
      const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
      const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
      const rows = readme.split('\n').filter((line) => /^\|\s*\d{3}_[0-9a-f]+\.txt/.test(line));
      expect(rows).toHaveLength(catalog.sources.length);
      for (const row of rows) {
        const cells = row.split('|').map((cell) => cell.trim());
        const published = cells.at(-2)!;
        const month = months.findIndex((name) => published.includes(name)) + 1;
        const year = Number(/\b(20\d\d)\b/.exec(published)?.[1]);
        const source = catalog.sources.find((s) => s.fileName === cells[1]);
        expect(source).toMatchObject({ publishedInferred: true, publishedPrecision: 'month', publishedOn: endOfStated({ phrase: published, year, month, relative: false }) });
      }
    });

    it.each(cited.map((c) => [c.what, c] as const))('%s is verbatim in its document', (_what, c) => {
      expect(documents.get(c.source)).toContain(squash(c.quote));
    });

    // 由 5000 亿元扩大到 8000 亿元, 从目前的 1.75%下调到 1.5%: the old value was in force before a change the text does not date.
    const changes = catalog.observations.flatMap((before) => {
      const token = findPrintedToken(before.quote, before.valuePrinted, before.unitPrinted);
      const text = squash(before.quote);
      if (!token || !/(由|从|从目前的)$/.test(text.slice(0, token.index))) return [];
      const after = catalog.observations.find(
        (o) =>
          o !== before &&
          o.region === before.region &&
          o.indicator === before.indicator &&
          (o.reporter ?? null) === (before.reporter ?? null) &&
          new RegExp(`(到|至)${o.valuePrinted}`).test(text.slice(token.index)),
      );
      return [[label(before), before, after] as const];
    });

    it('finds the values in force before a change', () => {
      expect(changes.map(([what]) => what)).toHaveLength(3);
    });

    it.each(changes)('dates %s, in force before the change its sentence states, to the month-end before the new value', (_what, before, after) => {
      expect(after).toBeDefined();
      // The new value is in force by publication; the old one at the month-end before it, which the note says the text does not print.
      expect(after!.asOf).toBe(publishedOn.get(after!.source));
      expect(monthsBetween(before.asOf, after!.asOf)).toBe(1);
      expect(endOfStated({ phrase: '', year: Number(before.asOf.slice(0, 4)), month: Number(before.asOf.slice(5, 7)), relative: false })).toBe(before.asOf);
      expect(before.asOfInferred).toBe(true);
      expect(before.note).toMatch(/not in the text/);
    });

    describe.each(catalog.observations.map((o) => [label(o), o] as const))('%s', (_label, o) => {
      const token = () => findPrintedToken(o.quote, o.valuePrinted, o.unitPrinted)!;

      it('is dated by the nearest date stated before it', () => {
        if (!o.asOfInferred) {
          const stated = lastStatedDate(readUpTo(o, token().index));
          expect(stated).toMatchObject({ relative: false });
          expect(endOfStated(stated!)).toBe(o.asOf);
          return;
        }
        const stated = lastStatedDate(squash(o.quote).slice(0, token().index));
        if (stated?.relative && (stated.month || stated.quarter)) {
          // 今年三季度末, 今年前4个月 in its own clause: the year is the publication's.
          expect(endOfStated(stated, Number(publishedOn.get(o.source)!.slice(0, 4)))).toBe(o.asOf);
        } else {
          // 目前 or no date in its clause: the publication month, or the period it reports on (at most half a year before).
          expect(monthsBetween(o.asOf, publishedOn.get(o.source)!)).toBeGreaterThanOrEqual(0);
          expect(monthsBetween(o.asOf, publishedOn.get(o.source)!)).toBeLessThanOrEqual(6);
        }
      });

      it('belongs to the region (or reporter) the text names', () => {
        const read = readUpTo(o, token().index);
        const nearby = `${read.slice(-400)}${squash(o.quote)}`;
        if (o.region === 'CN') {
          // A national figure's clause names no province or city.
          expect(regionalNames.filter((name) => squash(o.quote).includes(name))).toEqual([]);
        } else if (o.reporter) {
          expect(nearby.includes(squash(o.reporter)) || nearby.includes(regionName.get(o.region)!)).toBe(true);
        } else {
          expect(nearby).toContain(regionName.get(o.region));
        }
      });
    });
  });
});
