import { Injectable } from '@nestjs/common';
import { DataVersion, KeptPerVersion } from '../database/data-version.js';
import { ReadDatabase } from '../database/read-database.js';
import { ProblemException, PROBLEM_TYPES } from '../errors/problem.js';
import { closestNames } from '../http/closest-names.js';
import type { RegionRefDto } from './region.dto.js';

const SUFFIXES = /(省|市|自治区|特别行政区|县|区)$/;

/** The forms a person may type for a region: code, Chinese name with or without 省/市, English name. */
function keys(region: RegionRefDto): string[] {
  return [region.code.toLowerCase(), region.nameZh, region.nameZh.replace(SUFFIXES, ''), region.nameEn.toLowerCase()];
}

export interface ResolvedRegion extends RegionRefDto {
  /** What the request said, echoed back. */
  input: string;
}

/** The first of each region named twice. */
function dedupe(resolved: ResolvedRegion[]): ResolvedRegion[] {
  const seen = new Set<string>();
  return resolved.filter((r) => !seen.has(r.code) && seen.add(r.code));
}

interface RegionIndex {
  regions: RegionRefDto[];
  byCode: Map<string, RegionRefDto>;
  /** Every form of every name (keys()), to the regions it names. */
  byName: Map<string, RegionRefDto[]>;
}

/** Resolves what a person typed (330000, 浙江, 浙江省, Zhejiang) to one region, from an index of every region kept per data version. */
@Injectable()
export class RegionLookup {
  private readonly kept: KeptPerVersion<RegionIndex>;

  constructor(db: ReadDatabase, version: DataVersion) {
    this.kept = new KeptPerVersion(version, async () => {
      const regions = await db.query<RegionRefDto[]>(`SELECT code, name_zh AS "nameZh", name_en AS "nameEn", level FROM regions ORDER BY code`);
      const byName = new Map<string, RegionRefDto[]>();
      for (const region of regions) {
        for (const key of new Set(keys(region))) byName.set(key, [...(byName.get(key) ?? []), region]);
      }
      return { regions, byCode: new Map(regions.map((r) => [r.code, r])), byName };
    });
  }

  /** Every input resolved, or one problem listing each unknown (404) or ambiguous (400) input with its closest matches. */
  async resolveMany(inputs: string[], parameter: string): Promise<ResolvedRegion[]> {
    const { regions, byCode, byName: index } = await this.kept.get();
    const codes = inputs.map((input) => input.trim().toUpperCase());
    if (codes.every((code) => byCode.has(code))) return dedupe(inputs.map((input, i) => ({ ...byCode.get(codes[i])!, input })));
    const unknown: string[] = [];
    const ambiguous: string[] = [];
    const resolved: ResolvedRegion[] = [];
    for (const input of inputs) {
      const matches = index.get(input.trim().toLowerCase()) ?? index.get(input.trim()) ?? [];
      if (matches.length === 1) resolved.push({ ...matches[0], input });
      else if (matches.length > 1) ambiguous.push(`"${input}" matches ${matches.map((m) => `${m.code} ${m.nameZh}`).join(', ')}; use the code`);
      else {
        const names = regions.flatMap((r) => [r.nameZh, r.nameEn, r.code]);
        const close = closestNames(input, names);
        unknown.push(`"${input}"${close.length ? ` (closest: ${close.join(', ')})` : ''}`);
      }
    }
    if (ambiguous.length) {
      throw ProblemException.validation(ambiguous.map((message) => ({ location: 'query', name: parameter, message })));
    }
    if (unknown.length) {
      throw new ProblemException({
        type: PROBLEM_TYPES.notFound,
        title: 'Not Found',
        status: 404,
        detail: `No region matches ${unknown.join('; ')}. Use a GB/T 2260 code, CN, or a Chinese or English name from /v1/regions.`,
      });
    }
    return dedupe(resolved);
  }

  async resolve(input: string, parameter: string): Promise<ResolvedRegion> {
    const [region] = await this.resolveMany([input], parameter);
    return region;
  }
}
