import { Injectable, Optional } from '@nestjs/common';
import { DataVersion } from '../database/data-version.js';
import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { SYNC_LOCK } from '../database/locks.js';
import { PROBLEM_TYPES, type ProblemBody } from '../errors/problem.js';
import { findCatalogProblems, type CatalogProblem } from '../seed/catalog-check.js';
import type { Catalog, IndicatorRow, ObservationRow, WriteCounts } from '../seed/catalog.js';
import { writeCatalog } from '../seed/catalog-writer.js';
import { resolveRegions } from '../seed/seed-loader.js';
import { parseBatch, type Batch } from './batch-validation.js';


export type BatchOrigin = 'api' | 'schedule' | 'cli' | 'seed';

export interface SubmitOptions {
  origin: BatchOrigin;
  apiKeyName?: string | null;
  sourceName?: string | null;
  dryRun?: boolean;
  idempotencyKey?: string | null;
  /** Called as the batch moves on, for a terminal progress line. */
  progress?: (stage: string) => void;
}

export interface BatchResult {
  status: number;
  body: Record<string, unknown>;
  replayed?: boolean;
}

const OBSERVATION_FIELDS = ['asOfPrecision', 'asOfInferred', 'periodStart', 'value', 'valuePrinted', 'unitPrinted', 'qualifier', 'program', 'source', 'quote', 'note'] as const;

class DryRun extends Error {
  constructor(readonly report: Record<string, unknown>) {
    super('dry run');
  }
}

@Injectable()
export class SyncService {
  constructor(
    private readonly db: DataSource,
    @Optional() private readonly version?: DataVersion,
  ) {}

  /**
   * Validates a whole batch, then writes it in one transaction under the sync lock, or writes
   * nothing. Every submission is recorded as a batch, rejected and failed ones included.
   */
  async submit(body: unknown, options: SubmitOptions): Promise<BatchResult> {
    const dryRun = options.dryRun ?? false;
    // Only a retry is compared with the request it repeats: hashing a 50,000-row body costs 40 MB and 0.15 s.
    let requestHash: string | null = null;
    if (options.idempotencyKey) {
      requestHash = createHash('sha256').update(JSON.stringify({ body, dryRun })).digest('hex');
      const previous = await this.replay(options.apiKeyName ?? null, options.idempotencyKey, requestHash);
      if (previous) return previous;
    }
    let batchId: number;
    try {
      batchId = await this.open(options, dryRun, requestHash);
    } catch (error) {
      if (error instanceof IdempotencyConflict) return this.problem(409, PROBLEM_TYPES.conflict, `A batch with Idempotency-Key "${options.idempotencyKey}" is being processed; retry shortly.`);
      throw error;
    }
    const finish = async (result: BatchResult, status: string, counts: unknown = null, error: string | null = null) => {
      await this.db.query(
        `UPDATE sync_batches SET status = $2, finished_at = now(), counts = $3, error = $4, response_status = $5, response_body = $6 WHERE id = $1`,
        [batchId, status, counts === null ? null : JSON.stringify(counts), error, result.status, JSON.stringify(result.body)],
      );
      return result;
    };

    options.progress?.('validating');
    const { batch, problems } = parseBatch(body);
    // Rows with a bad shape are left out of the reference checks, so every row's problems are found in one pass.
    const all = batch ? [...problems, ...(await this.referenceProblems(batch))] : problems;
    if (!batch || all.length) {
      const rejected = this.rejection(batchId, all);
      return finish(rejected, 'rejected', null, rejected.body.detail as string);
    }

    try {
      options.progress?.(dryRun ? 'comparing' : 'writing');
      const report = await this.write(batchId, batch, dryRun);
      // Read-your-writes: this instance stops serving what it kept of older data before it replies.
      await this.version?.catchUp();
      return finish({ status: dryRun ? 200 : 201, body: report }, 'applied', report.counts);
    } catch (error) {
      if (error instanceof DryRun) return finish({ status: 200, body: error.report }, 'dry_run', error.report.counts);
      const failed = {
        status: 500,
        body: { type: PROBLEM_TYPES.internal, title: 'Internal Server Error', status: 500, detail: `Batch ${batchId} failed and nothing was written.`, batchId },
      };
      await finish(failed, 'failed', null, (error as Error).message);
      throw error;
    }
  }

  /** A pull that never got as far as a batch body (unreadable file, unreachable URL) is still recorded, with why. */
  async recordFailure(origin: BatchOrigin, sourceName: string, error: string): Promise<BatchResult> {
    const [{ id }] = await this.db.query<{ id: number }[]>(
      `INSERT INTO sync_batches (origin, source_name, status, finished_at, error, response_status) VALUES ($1, $2, 'failed', now(), $3, 502) RETURNING id`,
      [origin, sourceName, error],
    );
    return { status: 502, body: { type: PROBLEM_TYPES.badGateway, title: 'Bad Gateway', status: 502, detail: `Batch ${id} failed: ${error}`, batchId: id } };
  }

  private async replay(apiKeyName: string | null, key: string, requestHash: string): Promise<BatchResult | undefined> {
    const [previous] = await this.db.query<{ id: number; requestHash: string; status: string; responseStatus: number | null; responseBody: Record<string, unknown> | null }[]>(
      `SELECT id, request_hash AS "requestHash", status, response_status AS "responseStatus", response_body AS "responseBody"
         FROM sync_batches WHERE api_key_name IS NOT DISTINCT FROM $1 AND idempotency_key = $2`,
      [apiKeyName, key],
    );
    if (!previous) return undefined;
    if (previous.requestHash !== requestHash) {
      return this.problem(422, PROBLEM_TYPES.unprocessable, `Idempotency-Key "${key}" was already used for a different request (batch ${previous.id}); use a new key for a new batch.`);
    }
    if (!previous.responseStatus) {
      return this.problem(409, PROBLEM_TYPES.conflict, `Batch ${previous.id} with Idempotency-Key "${key}" is still being processed; retry shortly.`);
    }
    return { status: previous.responseStatus, body: previous.responseBody!, replayed: true };
  }

  private async open(options: SubmitOptions, dryRun: boolean, requestHash: string | null): Promise<number> {
    try {
      const [{ id }] = await this.db.query<{ id: number }[]>(
        `INSERT INTO sync_batches (origin, api_key_name, source_name, status, dry_run, idempotency_key, request_hash)
         VALUES ($1, $2, $3, 'running', $4, $5, $6) RETURNING id`,
        [options.origin, options.apiKeyName ?? null, options.sourceName ?? null, dryRun, options.idempotencyKey ?? null, requestHash],
      );
      return id;
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new IdempotencyConflict();
      throw error;
    }
  }

  private problem(status: number, type: string, detail: string): BatchResult {
    return { status, body: { type, title: status === 409 ? 'Conflict' : 'Unprocessable Content', status, detail } satisfies ProblemBody };
  }

  private rejection(batchId: number, problems: CatalogProblem[]): BatchResult {
    const sizeLimit = problems.some((p) => p.message.includes('a batch holds at most') && p.index === null && p.field === null);
    return {
      status: sizeLimit ? 413 : 422,
      body: {
        type: sizeLimit ? PROBLEM_TYPES.payloadTooLarge : PROBLEM_TYPES.unprocessable,
        title: sizeLimit ? 'Payload Too Large' : 'Unprocessable Content',
        status: sizeLimit ? 413 : 422,
        detail: `Batch ${batchId} was rejected with ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was written.`,
        batchId,
        errors: problems.map((p) => ({ location: 'body', section: p.section, index: p.index, name: p.field ?? p.section, message: p.message })),
      },
    };
  }

  /** References are checked against the batch and what the database already holds. */
  private async referenceProblems(batch: Batch): Promise<CatalogProblem[]> {
    const problems: CatalogProblem[] = [];
    let regions: Catalog['regions'] = [];
    try {
      regions = resolveRegions(batch.regions);
    } catch (error) {
      problems.push({ section: 'regions', index: null, field: 'code', message: (error as Error).message.replace('seeds/regions.json', 'regions') });
    }
    const existing = await this.existingCatalog();
    const merge = <T>(stored: T[], incoming: T[], key: (row: T) => string) => {
      const byKey = new Map(stored.map((row) => [key(row), row]));
      for (const row of incoming) byKey.set(key(row), row);
      return [...byKey.values()];
    };
    const catalog: Catalog = {
      topics: merge(existing.topics, batch.topics, (t) => t.code),
      regions: merge(existing.regions, regions, (r) => r.code),
      sources: merge(existing.sources, batch.sources, (s) => s.id),
      indicators: merge(existing.indicators, batch.indicators, (i) => i.code),
      programs: merge(existing.programs, batch.programs, (p) => p.id),
      pilotZones: [],
      observations: batch.observations,
    };
    for (const problem of findCatalogProblems(catalog)) {
      if (problem.section === 'observations' && problem.index !== null) problems.push({ ...problem, index: batch.observationIndexes[problem.index] });
      else if (problem.section !== 'observations' || problem.index !== null) problems.push(problem);
    }
    if (batch.retractions.length) {
      const found = await this.db.query<{ i: number }[]>(
        `SELECT k.i FROM unnest($1::text[], $2::text[], $3::date[], $4::text[]) WITH ORDINALITY AS k(region, indicator, as_of, reporter, i)
          WHERE EXISTS (SELECT 1 FROM observations o WHERE o.region_code = k.region AND o.indicator_code = k.indicator AND o.as_of = k.as_of
                          AND o.reporter IS NOT DISTINCT FROM k.reporter)`,
        [batch.retractions.map((r) => r.row.region), batch.retractions.map((r) => r.row.indicator), batch.retractions.map((r) => r.row.asOf), batch.retractions.map((r) => r.row.reporter ?? null)],
      );
      const present = new Set(found.map((f) => Number(f.i) - 1));
      batch.retractions.forEach((r, i) => {
        if (!present.has(i)) problems.push({ section: 'observations', index: r.index, field: null, message: `observations[${r.index}] retracts ${r.row.region} ${r.row.indicator} ${r.row.asOf}, which does not exist` });
      });
    }
    return problems;
  }

  private async existingCatalog(): Promise<Omit<Catalog, 'pilotZones' | 'observations'>> {
    const [topics, regions, sources, indicators, programs] = await Promise.all([
      this.db.query(`SELECT code, name_zh AS "nameZh", name_en AS "nameEn" FROM topics`),
      this.db.query(`SELECT code, name_zh AS "nameZh", name_en AS "nameEn", level, parent_code AS "parentCode" FROM regions`),
      this.db.query(`SELECT id, file_name AS "fileName" FROM sources`),
      this.db.query<(IndicatorRow & { numerator: string | null; denominator: string | null })[]>(
        `SELECT code, topic, unit, measure_type AS "measureType", numerator_code AS numerator, denominator_code AS denominator FROM indicators`,
      ),
      this.db.query(`SELECT id, region_code AS region, source_id AS source FROM programs`),
    ]);
    return {
      topics,
      regions,
      sources,
      indicators: indicators.map(({ numerator, denominator, ...i }) => ({ ...i, derivedFrom: numerator && denominator ? { numerator, denominator } : null })),
      programs,
    };
  }

  private async write(batchId: number, batch: Batch, dryRun: boolean): Promise<Record<string, unknown>> {
    return this.db.transaction(async (manager) => {
      // A batch may wait for the one before it and write 50,000 rows: longer than a read may take.
      await manager.query(`SET LOCAL statement_timeout = '15min'`);
      await manager.query(`SELECT pg_advisory_xact_lock($1)`, [SYNC_LOCK]);
      await manager.query(`SELECT set_config('app.batch_id', $1, true), set_config('app.batch_at', clock_timestamp()::text, true)`, [String(batchId)]);
      const updates = dryRun ? await this.updates(manager, batch) : undefined;
      const counts: Record<string, WriteCounts | { retracted: number; unchanged: number }> = await writeCatalog(manager, {
        topics: batch.topics,
        regions: resolveRegions(batch.regions),
        sources: batch.sources,
        indicators: batch.indicators,
        programs: batch.programs,
        pilotZones: [],
        observations: batch.observations,
      });
      delete counts.pilotZones;
      counts.retractions = await this.retract(manager, batch);
      const report = { batchId, status: dryRun ? 'dry_run' : 'applied', dryRun, counts, ...(updates ? { updates } : {}) };
      if (dryRun) throw new DryRun(report);
      return report;
    });
  }

  private async retract(manager: EntityManager, batch: Batch): Promise<{ retracted: number; unchanged: number }> {
    if (!batch.retractions.length) return { retracted: 0, unchanged: 0 };
    const rows = batch.retractions.map((r) => r.row);
    // Counted through a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count].
    const [{ retracted }] = await manager.query<{ retracted: number }[]>(
      `WITH r AS (
         UPDATE observations o SET retracted_at = now(), updated_at = now()
           FROM unnest($1::text[], $2::text[], $3::date[], $4::text[]) AS k(region, indicator, as_of, reporter)
          WHERE o.region_code = k.region AND o.indicator_code = k.indicator AND o.as_of = k.as_of
            AND o.reporter IS NOT DISTINCT FROM k.reporter AND o.retracted_at IS NULL
         RETURNING o.id)
       SELECT count(*)::int AS retracted FROM r`,
      [rows.map((r) => r.region), rows.map((r) => r.indicator), rows.map((r) => r.asOf), rows.map((r) => r.reporter ?? null)],
    );
    return { retracted, unchanged: rows.length - retracted };
  }

  /** For a dry run: each observation the batch would change, with the fields before and after. */
  private async updates(manager: EntityManager, batch: Batch) {
    const o = batch.observations;
    if (!o.length) return [];
    const current = await manager.query<(Record<string, unknown> & { i: number })[]>(
      `SELECT k.i, e.as_of_precision AS "asOfPrecision", e.as_of_inferred AS "asOfInferred", e.period_start AS "periodStart", e.value,
              e.value_printed AS "valuePrinted", e.unit_printed AS "unitPrinted", e.qualifier, e.program_id AS program, e.source_id AS source,
              e.quote, e.note, e.retracted_at IS NOT NULL AS retracted
         FROM unnest($1::text[], $2::text[], $3::date[], $4::text[]) WITH ORDINALITY AS k(region, indicator, as_of, reporter, i)
         JOIN observations e ON e.region_code = k.region AND e.indicator_code = k.indicator AND e.as_of = k.as_of AND e.reporter IS NOT DISTINCT FROM k.reporter`,
      [o.map((r) => r.region), o.map((r) => r.indicator), o.map((r) => r.asOf), o.map((r) => r.reporter ?? null)],
    );
    return current.flatMap((before) => {
      const index = Number(before.i) - 1;
      const after = o[index] as ObservationRow & Record<string, unknown>;
      const changed = OBSERVATION_FIELDS.filter((field) => (before[field] ?? null) !== (after[field] ?? null));
      if (!changed.length && !before.retracted) return [];
      return [
        {
          index: batch.observationIndexes[index],
          key: { region: after.region, indicator: after.indicator, asOf: after.asOf, reporter: after.reporter ?? null },
          before: Object.fromEntries(changed.map((f) => [f, before[f] ?? null])),
          after: Object.fromEntries(changed.map((f) => [f, after[f] ?? null])),
          ...(before.retracted ? { unretracts: true } : {}),
        },
      ];
    });
  }
}

/** Two requests with one Idempotency-Key at the same moment: the second waits for the first's answer. */
export class IdempotencyConflict extends Error {}
