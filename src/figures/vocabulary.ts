import { Injectable } from '@nestjs/common';
import { DataVersion, KeptPerVersion } from '../database/data-version.js';
import { ReadDatabase } from '../database/read-database.js';
import { ProblemException, PROBLEM_TYPES, type FieldProblem, type ProblemLocation } from '../errors/problem.js';
import { closestNames } from '../errors/closest-names.js';
import type { RegionLevel } from '../catalog/schema.js';
import type { Catalogue } from './figure.js';
import { IndicatorCatalog, type IndicatorInfo, type Pairing } from './indicator-catalog.js';
import { REGION_SETS, type RegionSetDefinition } from './region-sets.js';

export interface RegionRef {
  code: string;
  nameZh: string;
  nameEn: string;
  level: RegionLevel;
}

export interface ResolvedRegion extends RegionRef {
  /** What the request said, echoed back. */
  input: string;
}

export interface RegionSet extends Omit<RegionSetDefinition, 'members'> {
  regions: RegionRef[];
}

interface Named {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** Everything a request may name, read in one statement and kept per data version. */
interface Index {
  regions: (RegionRef & { parentCode: string | null })[];
  byCode: Map<string, RegionRef & { parentCode: string | null }>;
  /** Every form of every region's name (code, 浙江省, 浙江, Zhejiang), lower-cased, to the regions it names. */
  byName: Map<string, RegionRef[]>;
  /** Other names a place is known by (a pilot zone's: 中关村), for suggestions. */
  aliases: { name: string; region: string }[];
  sets: Map<string, RegionSet>;
  topics: Map<string, Named>;
  catalog: IndicatorCatalog;
  sources: { id: string; fileName: string }[];
  /** What the comparability judge needs to know of names and indicators. */
  judging: Catalogue;
}

const SUFFIXES = /(省|市|自治区|特别行政区|县|区)$/;

/** The forms a person may type for a region: code, Chinese name with or without 省/市, English name. */
const namesOf = (region: RegionRef) => [...new Set([region.code, region.nameZh, region.nameZh.replace(SUFFIXES, ''), region.nameEn].map((name) => name.toLowerCase()))];

const INDEX_SQL = `
  SELECT (SELECT json_agg(json_build_object('code', code, 'nameZh', name_zh, 'nameEn', name_en, 'level', level, 'parentCode', parent_code) ORDER BY code) FROM regions) AS regions,
         COALESCE((SELECT json_agg(json_build_object('region', region_code, 'nameZh', name_zh, 'nameEn', name_en)) FROM pilot_zones), '[]') AS zones,
         COALESCE((SELECT json_agg(json_build_object('code', code, 'nameZh', name_zh, 'nameEn', name_en) ORDER BY code) FROM topics), '[]') AS topics,
         COALESCE((SELECT json_agg(json_build_object('code', code, 'nameZh', name_zh, 'nameEn', name_en, 'topic', topic, 'unit', unit, 'measureType', measure_type,
                     'kind', kind, 'numerator', numerator_code, 'denominator', denominator_code) ORDER BY topic, code) FROM indicators), '[]') AS indicators,
         COALESCE((SELECT json_agg(json_build_object('of', c.of, 'code', c.code, 'caveatEn', c.caveat_en, 'caveatZh', c.caveat_zh) ORDER BY c.of, c.code)
                     FROM (SELECT indicator_code AS of, comparable_code AS code, caveat_en, caveat_zh FROM indicator_comparisons
                           UNION ALL SELECT comparable_code, indicator_code, caveat_en, caveat_zh FROM indicator_comparisons) c), '[]') AS pairs,
         COALESCE((SELECT json_agg(json_build_object('id', id, 'fileName', file_name) ORDER BY id) FROM sources), '[]') AS sources,
         ${REGION_SETS.map((set, i) => `ARRAY(${set.members}) AS set${i}`).join(', ')}`;

type IndexRow = {
  regions: Index['regions'] | null;
  zones: { region: string; nameZh: string; nameEn: string }[];
  topics: Named[];
  indicators: IndicatorInfo[];
  pairs: (Pairing & { of: string })[];
  sources: Index['sources'];
} & Record<`set${number}`, string[]>;

/** A name that names nothing: 404 where it is a path (the resource is not there), 400 where it is a query value (the request is wrong). */
function notFound(where: ProblemLocation, parameter: string, what: string, detail: string): FieldProblem {
  return { location: where, name: parameter, message: `${what}; ${detail}` };
}

function fail(where: ProblemLocation, problems: FieldProblem[]): never {
  if (where === 'path') {
    const detail = problems.map((p) => `${p.message.replace(/^./, (c) => c.toUpperCase())}.`).join(' ');
    throw new ProblemException({ type: PROBLEM_TYPES.notFound, title: 'Not Found', status: 404, detail });
  }
  throw ProblemException.validation(problems);
}

/**
 * The one resolver of what a request names: regions (code, Chinese or English name with or without
 * its suffix, a region set), topics, indicators and sources. Every endpoint resolves through it, so
 * a name accepted in one place is accepted in all, and a name that names nothing is answered the
 * same way everywhere, with the closest matches.
 */
@Injectable()
export class Vocabulary {
  private readonly kept: KeptPerVersion<Index>;

  constructor(db: ReadDatabase, version: DataVersion) {
    this.kept = new KeptPerVersion(version, async () => {
      const [row] = await db.query<IndexRow[]>(INDEX_SQL);
      const regions = row.regions ?? [];
      const byName = new Map<string, RegionRef[]>();
      for (const region of regions) for (const name of namesOf(region)) byName.set(name, [...(byName.get(name) ?? []), region]);
      const byCode = new Map(regions.map((r) => [r.code, r]));
      const ref = (code: string): RegionRef => {
        const { parentCode: _parentCode, ...region } = byCode.get(code)!;
        return region;
      };
      const catalog = new IndicatorCatalog(row.indicators, row.pairs);
      const unknown = (code: string) => ({ nameZh: code, nameEn: code });
      return {
        regions,
        byCode,
        byName,
        aliases: row.zones.flatMap((z) => [
          { name: z.nameZh, region: z.region },
          { name: z.nameEn, region: z.region },
        ]),
        sets: new Map(REGION_SETS.map(({ members: _members, ...set }, i) => [set.id, { ...set, regions: row[`set${i}`].filter((code) => byCode.has(code)).map(ref) }])),
        topics: new Map(row.topics.map((t) => [t.code, t])),
        catalog,
        sources: row.sources,
        judging: {
          names: { region: (code) => byCode.get(code) ?? unknown(code), indicator: (code) => catalog.get(code) ?? unknown(code) },
          indicators: (code) => catalog.get(code)!,
          pairings: (code) => catalog.pairings(code),
        },
      };
    });
  }

  catalog(): Promise<IndicatorCatalog> {
    return this.kept.get().then((index) => index.catalog);
  }

  /** Names and indicator facts for the comparability judge. */
  catalogue(): Promise<Catalogue> {
    return this.kept.get().then((index) => index.judging);
  }

  /**
   * The regions a list names, in order, each once; a region set's id stands for its members. Query
   * values that name nothing are 400 with the closest matches, path segments 404.
   */
  async regions(inputs: string[], parameter: string, where: ProblemLocation = 'query'): Promise<ResolvedRegion[]> {
    const index = await this.kept.get();
    const resolved: ResolvedRegion[] = [];
    const problems: FieldProblem[] = [];
    for (const input of inputs) {
      const set = index.sets.get(input.trim());
      if (set && where !== 'path') {
        resolved.push(...set.regions.map((region) => ({ ...region, input })));
        continue;
      }
      const matches = index.byName.get(input.trim().toLowerCase()) ?? [];
      if (matches.length === 1) resolved.push({ ...matches[0], input });
      else if (matches.length > 1)
        problems.push({ location: where, name: parameter, message: `"${input}" names ${matches.map((m) => `${m.code} ${m.nameZh}`).join(' and ')}; use the code` });
      else problems.push(notFound(where, parameter, `no region matches "${input}"`, this.suggestRegions(index, input)));
    }
    if (problems.length) fail(where, problems);
    const seen = new Set<string>();
    return resolved.filter((r) => !seen.has(r.code) && seen.add(r.code));
  }

  async region(input: string, parameter: string, where: ProblemLocation = 'query'): Promise<ResolvedRegion> {
    return (await this.regions([input], parameter, where))[0];
  }

  /** A region code known to exist, with its parent. */
  async regionByCode(code: string): Promise<(RegionRef & { parentCode: string | null }) | undefined> {
    return (await this.kept.get()).byCode.get(code);
  }

  private suggestRegions(index: Index, input: string): string {
    const label = (code: string) => `${code} ${index.byCode.get(code)!.nameZh} (${index.byCode.get(code)!.nameEn})`;
    const text = input.trim();
    let close: string[];
    if (/^\d{6}$/.test(text)) {
      // A code: the regions above it, then those that share its first four or two digits.
      const above = [`${text.slice(0, 4)}00`, `${text.slice(0, 2)}0000`].filter((code) => index.byCode.has(code));
      const near = index.regions.filter((r) => r.code.startsWith(text.slice(0, 4)) || r.code.startsWith(text.slice(0, 2))).map((r) => r.code);
      close = [...new Set([...above, ...near])]
        .filter((code) => code !== text)
        .slice(0, 3)
        .map(label);
    } else {
      const names = [...index.regions.flatMap((r) => [r.nameZh, r.nameEn]), ...index.aliases.map((a) => a.name)];
      const regionOf = (name: string) => index.regions.find((r) => r.nameZh === name || r.nameEn === name)?.code ?? index.aliases.find((a) => a.name === name)!.region;
      close = [...new Set(closestNames(text, names).map(regionOf))].map(label);
    }
    return close.length ? `closest: ${close.join(', ')}` : 'codes are GB/T 2260 six-digit codes or CN; see /v1/regions';
  }

  async regionSets(): Promise<RegionSet[]> {
    return [...(await this.kept.get()).sets.values()];
  }

  async regionSet(id: string, parameter: string, where: ProblemLocation = 'query'): Promise<RegionSet> {
    const { sets } = await this.kept.get();
    const set = sets.get(id);
    if (!set) fail(where, [notFound(where, parameter, `no region set "${id}"`, `known sets: ${[...sets.keys()].join(', ')}`)]);
    return set;
  }

  async topic(input: string, parameter: string, where: ProblemLocation = 'query'): Promise<Named> {
    const { topics } = await this.kept.get();
    const topic = topics.get(input.trim());
    if (topic) return topic;
    const close = closestNames(input, [...topics.keys()]);
    return fail(where, [notFound(where, parameter, `no topic "${input}"`, close.length ? `closest: ${close.join(', ')}` : 'see /v1/topics')]);
  }

  /** Indicators by code, in order, each once. */
  async indicators(inputs: string[], parameter: string, where: ProblemLocation = 'query'): Promise<IndicatorInfo[]> {
    const { catalog } = await this.kept.get();
    const codes = catalog.indicators.map((i) => i.code);
    const problems = inputs
      .filter((input) => !catalog.get(input.trim()))
      .map((input) => {
        const close = closestNames(input, codes);
        return notFound(where, parameter, `no indicator "${input}"`, close.length ? `closest: ${close.join(', ')}` : 'see /v1/indicators');
      });
    if (problems.length) fail(where, problems);
    return [...new Set(inputs.map((input) => input.trim()))].map((code) => catalog.get(code)!);
  }

  async indicator(input: string, parameter: string, where: ProblemLocation = 'query'): Promise<IndicatorInfo> {
    return (await this.indicators([input], parameter, where))[0];
  }

  /** A source by its id or its file name. */
  async source(input: string, parameter: string, where: ProblemLocation = 'query'): Promise<{ id: string; fileName: string }> {
    const { sources } = await this.kept.get();
    const source = sources.find((s) => s.id === input.trim() || s.fileName === input.trim());
    if (source) return source;
    const close = closestNames(
      input,
      sources.map((s) => s.id),
    );
    return fail(where, [notFound(where, parameter, `no source "${input}"`, close.length ? `closest: ${close.join(', ')}` : 'see /v1/sources')]);
  }
}
