import { Injectable } from '@nestjs/common';
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

const CODE = /^(CN|[1-9]\d{5})$/;

/** The first of each region named twice. */
function dedupe(resolved: ResolvedRegion[]): ResolvedRegion[] {
  const seen = new Set<string>();
  return resolved.filter((r) => !seen.has(r.code) && seen.add(r.code));
}

/** Resolves what a person typed (330000, 浙江, 浙江省, Zhejiang) to one region. */
@Injectable()
export class RegionLookup {
  constructor(private readonly db: ReadDatabase) {}

  async all(): Promise<RegionRefDto[]> {
    return this.db.query<RegionRefDto[]>(`SELECT code, name_zh AS "nameZh", name_en AS "nameEn", level FROM regions ORDER BY code`);
  }

  /** Every input resolved, or one problem listing each unknown (404) or ambiguous (400) input with its closest matches. */
  async resolveMany(inputs: string[], parameter: string): Promise<ResolvedRegion[]> {
    // Codes, the common case, are one indexed query; names and unknown inputs need every region.
    const codes = inputs.map((input) => input.trim().toUpperCase());
    if (codes.every((code) => CODE.test(code))) {
      const found = new Map(
        (await this.db.query<RegionRefDto[]>(`SELECT code, name_zh AS "nameZh", name_en AS "nameEn", level FROM regions WHERE code = ANY ($1)`, [codes])).map((r) => [r.code, r]),
      );
      if (codes.every((code) => found.has(code))) return dedupe(inputs.map((input, i) => ({ ...found.get(codes[i])!, input })));
    }
    const regions = await this.all();
    const index = new Map<string, RegionRefDto[]>();
    for (const region of regions) {
      for (const key of new Set(keys(region))) index.set(key, [...(index.get(key) ?? []), region]);
    }
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
