import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '../database/read-database.js';
import type { Figure } from '../comparability/comparability.js';
import { derive } from '../figures/derived.js';
import { observationRecords } from '../figures/observation-records.js';
import { Vocabulary } from '../figures/vocabulary.js';
import { ProblemException } from '../errors/problem.js';
import { pageEnvelope } from '../http/pagination.dto.js';
import type { ObservationDto } from '../observations/observation.dto.js';
import type { ListProgramsQueryDto, DerivedProgramFigureDto, ProgramDetailDto, ProgramDto, ProgramPageDto } from './program.dto.js';

const PROGRAM_SELECT = `
  SELECT p.id, p.name_zh AS "nameZh", p.name_en AS "nameEn",
         json_build_object('code', r.code, 'nameZh', r.name_zh, 'nameEn', r.name_en, 'level', r.level) AS region,
         p.kind, p.operator, p.launched_on AS "launchedOn", p.launch_precision AS "launchPrecision",
         p.description_zh AS "descriptionZh", p.description_en AS "descriptionEn",
         json_build_object('id', s.id, 'fileName', s.file_name) AS source, p.quote,
         (SELECT count(*) FROM published_observations o WHERE o.program_id = p.id) AS "observationCount"
    FROM programs p
    JOIN regions r ON r.code = p.region_code
    JOIN sources s ON s.id = p.source_id`;

@Injectable()
export class ProgramsService {
  constructor(
    private readonly db: ReadDatabase,
    private readonly vocabulary: Vocabulary,
  ) {}

  async list(query: ListProgramsQueryDto, url: string): Promise<ProgramPageDto> {
    const { page = 1, pageSize = 50 } = query;
    const filter = `WHERE ($1::text IS NULL OR p.region_code = $1) AND ($2::text IS NULL OR p.kind = $2)`;
    const region = query.region ? (await this.vocabulary.region(query.region, 'region')).code : null;
    const params = [region, query.kind ?? null];
    const [{ total }] = await this.db.query<{ total: number }[]>(`SELECT count(*) AS total FROM programs p ${filter}`, params);
    const data = await this.db.query<ProgramDto[]>(`${PROGRAM_SELECT} ${filter} ORDER BY p.region_code, p.id LIMIT $3 OFFSET $4`, [...params, pageSize, (page - 1) * pageSize]);
    return { data, ...pageEnvelope(url, page, pageSize, total) };
  }

  async get(id: string): Promise<ProgramDetailDto> {
    const [program] = await this.db.query<ProgramDto[]>(`${PROGRAM_SELECT} WHERE p.id = $1`, [id]);
    if (!program) throw ProblemException.notFound('program', `id "${id}"`, 'List programs at /v1/programs.');
    const observations = await this.db.query<ObservationDto[]>(`${observationRecords('published_observations')} WHERE o.program_id = $1 ORDER BY o.indicator_code, o.as_of DESC`, [
      id,
    ]);
    return { ...program, observations, derivedFigures: await this.derivedFigures(observations) };
  }

  /** Derived indicators whose numerator and denominator are both the program's own figures (浙科联合贷: loans per enterprise). */
  private async derivedFigures(observations: ObservationDto[]): Promise<DerivedProgramFigureDto[]> {
    const codes = new Set(observations.map((o) => o.indicator.code));
    const definitions = (await this.vocabulary.catalog()).of(undefined, 'derived').filter((d) => codes.has(d.numerator!) && codes.has(d.denominator!));
    const asFigure = (o: ObservationDto): Figure => ({ ...o, regionCode: o.region.code, indicatorCode: o.indicator.code });
    const byId = new Map(observations.map((o) => [o.id, o]));
    return definitions.flatMap((definition) =>
      derive(
        definition,
        observations.filter((o) => o.indicator.code === definition.numerator).map(asFigure),
        observations.filter((o) => o.indicator.code === definition.denominator).map(asFigure),
      ).map((value) => ({
        indicator: {
          code: definition.code,
          nameZh: definition.nameZh,
          nameEn: definition.nameEn,
          topic: definition.topic,
          unit: definition.unit,
          measureType: definition.measureType,
        },
        value: value.value,
        unit: definition.unit,
        qualifier: value.qualifier,
        asOf: value.asOf,
        asOfInferred: value.asOfInferred,
        inputs: [byId.get(value.numerator.id)!, byId.get(value.denominator.id)!],
      })),
    );
  }
}
