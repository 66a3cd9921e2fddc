import { syncBatches, syncRowsWritten } from '../telemetry/metrics.js';
import { Injectable, Logger, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { duplicateKeyProblems, findCatalogProblems } from '../catalog/check.js';
import {
  Batch,
  MAX_LISTED_PROBLEMS,
  type Catalog,
  type IndicatorRow,
  type ObservationRow,
  type ProgramRow,
  type RegionEntry,
  type RetractionRow,
  type SourceRow,
  type TopicRow,
} from '../catalog/schema.js';
import { printable, shapeProblems } from '../catalog/validation.js';
import { writeCatalog } from '../catalog/writer.js';
import { DataVersion } from '../database/data-version.js';
import { BATCH_OWNER_LOCK, SYNC_LOCK } from '../database/locks.js';
import { canonicalJson } from '../catalog/validation.js';
import { isDatabaseUnavailable } from '../errors/problem.filter.js';
import { resolveRegions } from '../seed/seed-loader.js';
import { LOGGED_STATUS, toResponse, type BatchCounts, type BatchOutcome, type BatchProblem, type BatchUpdate } from './batch-outcome.js';

export type BatchOrigin = 'api' | 'schedule' | 'cli' | 'seed';

export interface SubmitOptions {
  origin: BatchOrigin;
  apiKeyName?: string | null;
  sourceName?: string | null;
  dryRun?: boolean;
  idempotencyKey?: string | null;
  /** For a batch read from CSV: the line each observation came from, so problems name lines. */
  csvLines?: number[];
  /** Called as the batch moves on, for a terminal progress line. */
  progress?: (stage: string) => void;
}

const OBSERVATION_FIELDS = ['asOfPrecision', 'asOfInferred', 'periodStart', 'value', 'valuePrinted', 'unitPrinted', 'qualifier', 'program', 'source', 'quote', 'note'] as const;

/** A batch whose shape is right, its observations split into figures and retractions, each with its place in the request. */
interface ParsedBatch {
  sections: { topics: TopicRow[]; regions: RegionEntry[]; sources: SourceRow[]; indicators: IndicatorRow[]; programs: ProgramRow[] };
  observations: { index: number; row: ObservationRow }[];
  retractions: { index: number; row: RetractionRow }[];
}

/** Two requests with one Idempotency-Key at once: the second is told the first is in progress. */
class IdempotencyConflict extends Error {}

/**
 * Batches: validated whole against the schema and the stored catalog, then written in one
 * transaction under the sync lock, or not at all. Every submission is logged as a batch, with the
 * response its sender received (a retry with the same Idempotency-Key receives it again).
 */
@Injectable()
export class SyncService implements OnApplicationShutdown {
  private readonly logger = new Logger('Sync');
  private ownerSession?: Promise<pg.Client>;

  constructor(
    private readonly db: DataSource,
    @Optional() private readonly version?: DataVersion,
  ) {}

  async submit(body: unknown, options: SubmitOptions): Promise<BatchOutcome> {
    const dryRun = options.dryRun ?? false;
    // A dry run changes nothing, so it takes no key: the write it precedes may use the key.
    const idempotencyKey = dryRun ? null : (options.idempotencyKey ?? null);
    // Only a retry is compared with the request it repeats: hashing a 50,000-row body costs 40 MB and 0.15 s.
    let requestHash: string | null = null;
    if (idempotencyKey) {
      requestHash = createHash('sha256').update(canonicalJson(body)).digest('hex');
      const previous = await this.previous(options.apiKeyName ?? null, idempotencyKey, requestHash);
      if (previous) {
        syncBatches.inc({ outcome: previous.kind });
        return previous;
      }
    }
    let batchId: number;
    try {
      batchId = await this.open(options, dryRun, idempotencyKey, requestHash);
    } catch (error) {
      if (error instanceof IdempotencyConflict) return { kind: 'in-use', key: printable(idempotencyKey!), batchId: null };
      throw error;
    }
    try {
      return await this.run(batchId, body, options, dryRun);
    } finally {
      await this.session()
        .then((session) => session.query(`SELECT pg_advisory_unlock($1, $2)`, [BATCH_OWNER_LOCK, batchId]))
        .catch(() => undefined);
    }
  }

  /**
   * This process's owner session: one connection of its own (not the pool's, which batches need for
   * their work) that holds a lock on each batch the process is writing. If the process dies,
   * PostgreSQL ends the session and its locks, and another instance may mark the batches interrupted.
   */
  private session(): Promise<pg.Client> {
    this.ownerSession ??= (async () => {
      const options = this.db.options as { url?: string; replication?: { master: { url: string } } };
      const client = new pg.Client({ connectionString: options.replication?.master.url ?? options.url, application_name: 'regional-finance-api batch owner' });
      const forget = () => (this.ownerSession = undefined);
      client.on('error', forget).on('end', forget);
      await client.connect();
      return client;
    })();
    this.ownerSession.catch(() => (this.ownerSession = undefined));
    return this.ownerSession;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.ownerSession?.then((session) => session.end()).catch(() => undefined);
  }

  /**
   * Marks interrupted every running batch whose owner is gone (its process died mid-batch): its
   * Idempotency-Key may then be sent again. Any instance may do it; a live owner's lock stops it.
   */
  async interruptOrphans(id?: number): Promise<number[]> {
    const rows = await this.db.query<{ id: number }[]>(
      // Only running batches are tried (a lock is taken for each one tried, until the statement ends).
      // Selected from a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count].
      `WITH running AS MATERIALIZED (SELECT id FROM sync_batches WHERE status = 'running' AND ($1::bigint IS NULL OR id = $1)),
            marked AS (
              UPDATE sync_batches b SET status = 'interrupted', finished_at = now(),
                     error = 'the process writing it stopped before it finished; nothing of it was written'
                FROM running r WHERE b.id = r.id AND b.status = 'running' AND pg_try_advisory_xact_lock($2, r.id::int)
              RETURNING b.id)
       SELECT id FROM marked ORDER BY id`,
      [id ?? null, BATCH_OWNER_LOCK],
    );
    return rows.map((row) => Number(row.id));
  }

  private async run(batchId: number, body: unknown, options: SubmitOptions, dryRun: boolean): Promise<BatchOutcome> {
    options.progress?.('validating');
    const parsed = await this.check(body, options.csvLines);
    if ('problems' in parsed) {
      const tooLarge = parsed.problems.some((p) => p.tooLarge);
      const listed = parsed.problems.slice(0, MAX_LISTED_PROBLEMS).map(({ tooLarge: _tooLarge, ...problem }) => problem);
      return this.finish(batchId, { kind: 'rejected', batchId, tooLarge, total: parsed.problems.length, problems: listed });
    }

    try {
      options.progress?.(dryRun ? 'comparing' : 'writing');
      const written = await this.write(batchId, parsed, dryRun);
      // Read-your-writes: this instance stops serving what it kept of older data before it replies.
      if (!dryRun) await this.version?.catchUp();
      return this.finish(batchId, dryRun ? { kind: 'checked', batchId, ...written } : { kind: 'applied', batchId, counts: written.counts });
    } catch (error) {
      // The database going away is the client's 503; anything else is ours, logged, and the batch's 500.
      if (isDatabaseUnavailable(error)) throw error;
      this.logger.error(`Batch ${batchId} failed: ${(error as Error).stack ?? String(error)}`);
      return this.finish(batchId, { kind: 'failed', batchId }, (error as Error).message);
    }
  }

  /** A pull that never got as far as a batch body (unreadable file, unreachable URL) is logged as a failed batch, with why. */
  async recordUnreadable(origin: BatchOrigin, sourceName: string, reason: string): Promise<BatchOutcome> {
    const [{ id }] = await this.db.query<{ id: number }[]>(`INSERT INTO sync_batches (origin, source_name, status) VALUES ($1, $2, 'running') RETURNING id`, [
      origin,
      printable(sourceName, 2000),
    ]);
    return this.finish(id, { kind: 'unreadable', batchId: id, reason: printable(reason, 2000) }, reason);
  }

  /** Logs how a batch ended, with the response its sender receives. */
  private async finish(batchId: number, outcome: Extract<BatchOutcome, { kind: keyof typeof LOGGED_STATUS }>, error: string | null = null): Promise<BatchOutcome> {
    const response = toResponse(outcome);
    const counts = 'counts' in outcome ? JSON.stringify(outcome.counts) : null;
    syncBatches.inc({ outcome: outcome.kind });
    if (outcome.kind === 'applied')
      for (const written of Object.values(outcome.counts))
        for (const change of ['created', 'updated', 'retracted'] as const)
          if (change in written) syncRowsWritten.inc({ change }, (written as unknown as Record<typeof change, number>)[change]);
    await this.db.query(`UPDATE sync_batches SET status = $2, finished_at = now(), counts = $3, error = $4, response_status = $5, response_body = $6 WHERE id = $1`, [
      batchId,
      LOGGED_STATUS[outcome.kind],
      counts,
      error === null ? (outcome.kind === 'rejected' ? String(response.body.detail) : null) : printable(error, 2000),
      response.status,
      JSON.stringify(response.body),
    ]);
    return outcome;
  }

  private async previous(apiKeyName: string | null, key: string, requestHash: string): Promise<BatchOutcome | undefined> {
    const [previous] = await this.db.query<{ id: number; requestHash: string; responseStatus: number | null; responseBody: Record<string, unknown> | null }[]>(
      `SELECT id, request_hash AS "requestHash", response_status AS "responseStatus", response_body AS "responseBody"
         FROM sync_batches WHERE api_key_name IS NOT DISTINCT FROM $1 AND idempotency_key = $2 AND status <> 'interrupted'`,
      [apiKeyName, key],
    );
    if (!previous) return undefined;
    if (previous.requestHash !== requestHash) return { kind: 'key-reused', key: printable(key), batchId: previous.id };
    if (!previous.responseStatus) {
      // Still running: in use, unless its writer is gone, and then it is interrupted and this request a new batch.
      if ((await this.interruptOrphans(previous.id)).length) return undefined;
      return { kind: 'in-use', key: printable(key), batchId: previous.id };
    }
    return { kind: 'replayed', response: { status: previous.responseStatus, body: previous.responseBody! } };
  }

  /** Logs the batch as running, owned by this process's session (its lock taken in the same statement, so no one sees it unowned). */
  private async open(options: SubmitOptions, dryRun: boolean, idempotencyKey: string | null, requestHash: string | null): Promise<number> {
    try {
      const session = await this.session();
      const {
        rows: [{ id }],
      } = await session.query<{ id: number }>(
        `WITH opened AS (
           INSERT INTO sync_batches (origin, api_key_name, source_name, status, dry_run, idempotency_key, request_hash)
           VALUES ($1, $2, $3, 'running', $4, $5, $6) RETURNING id)
         SELECT id, pg_advisory_lock($7, id::int) FROM opened`,
        [options.origin, options.apiKeyName ?? null, options.sourceName ? printable(options.sourceName, 2000) : null, dryRun, idempotencyKey, requestHash, BATCH_OWNER_LOCK],
      );
      return Number(id);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new IdempotencyConflict();
      throw error;
    }
  }

  /**
   * Every problem of a batch in one pass: each row's shape against the schema, then keys named
   * twice and references against the stored catalog for the rows whose shape is right. A body
   * that is not a batch at all, or a section over its row limit (too large), stops at the shape.
   */
  private async check(body: unknown, csvLines?: number[]): Promise<ParsedBatch | { problems: (BatchProblem & { tooLarge?: boolean })[] }> {
    const lineOf = (pointer: string) => {
      const index = /^\/observations\/(\d+)/.exec(pointer)?.[1];
      return csvLines && index !== undefined ? { line: csvLines[Number(index)] } : {};
    };
    const located = (problems: BatchProblem[]) => problems.map((p) => ({ ...p, ...lineOf(p.pointer) }));
    // A section over its limit is answered as too large before a row of it is read.
    const oversized = Object.entries(Batch.properties).flatMap(([section, schema]) => {
      const rows = (body as Record<string, unknown> | null)?.[section];
      const limit = (schema as { maxItems: number }).maxItems;
      return Array.isArray(rows) && rows.length > limit
        ? [{ pointer: `/${section}`, message: `holds ${rows.length.toLocaleString('en')} rows; at most ${limit.toLocaleString('en')} are allowed in one batch`, tooLarge: true }]
        : [];
    });
    if (oversized.length) return { problems: oversized };
    const found = shapeProblems(Batch, body);
    const shape = found.map((p) => ({ pointer: p.pointer, message: p.message }));
    if (shape.some((p) => p.pointer.split('/').length <= 2)) return { problems: located(shape) };

    // The rows of each section whose shape is right (an unknown field aside), with the index each had in the request.
    const misshapen = new Set(found.filter((p) => p.keyword !== 'additionalProperties').map((p) => p.pointer.split('/').slice(0, 3).join('/')));
    const rowsOf = <T>(section: string) =>
      ((body as Record<string, T[] | undefined>)[section] ?? []).map((row, index) => ({ row, index })).filter(({ index }) => !misshapen.has(`/${section}/${index}`));
    const sectionRows = {
      topics: rowsOf<TopicRow>('topics'),
      regions: rowsOf<RegionEntry>('regions'),
      sources: rowsOf<SourceRow>('sources'),
      indicators: rowsOf<IndicatorRow>('indicators'),
      programs: rowsOf<ProgramRow>('programs'),
      observations: rowsOf<ObservationRow | RetractionRow>('observations'),
    };
    const at = (section: keyof Catalog, index: number) => `/${section}/${(sectionRows as Record<string, { index: number }[]>)[section][index].index}`;
    const rows = <T>(entries: { row: T }[]) => entries.map((entry) => entry.row);
    const observations: ParsedBatch['observations'] = [];
    const retractions: ParsedBatch['retractions'] = [];
    for (const entry of sectionRows.observations) ('retract' in entry.row && entry.row.retract === true ? retractions : observations).push(entry as never);

    // Each key once per section (an upsert touches a row once), and only GB/T 2260 regions.
    const problems: BatchProblem[] = [
      ...shape,
      ...duplicateKeyProblems(
        {
          topics: rows(sectionRows.topics),
          regions: rows(sectionRows.regions) as never,
          sources: rows(sectionRows.sources),
          indicators: rows(sectionRows.indicators),
          programs: rows(sectionRows.programs),
          observations: rows(sectionRows.observations) as ObservationRow[],
        },
        at,
      ),
    ];
    for (const { row, index } of sectionRows.regions) {
      try {
        resolveRegions([row]);
      } catch (error) {
        problems.push({ pointer: `/regions/${index}/code`, message: (error as Error).message });
      }
    }
    const sections = {
      topics: rows(sectionRows.topics),
      regions: rows(sectionRows.regions),
      sources: rows(sectionRows.sources),
      indicators: rows(sectionRows.indicators),
      programs: rows(sectionRows.programs),
    };
    if (problems.length === shape.length) {
      problems.push(
        ...(await this.referenceProblems(sections, sectionRows, observations)),
        ...(await this.meaningChanges(sectionRows.indicators)),
        ...(await this.missingRetractions(retractions)),
      );
    }
    if (problems.length) return { problems: located(problems) };
    return { sections, observations, retractions };
  }

  /** The batch's rows checked against the stored catalog with the batch's own rows merged in: only the batch's rows are reported. */
  private async referenceProblems(
    sections: ParsedBatch['sections'],
    places: Record<string, { index: number }[]>,
    observations: ParsedBatch['observations'],
  ): Promise<BatchProblem[]> {
    const stored = await this.storedCatalog();
    const merged = <T>(section: string, kept: T[], incoming: T[], key: (row: T) => string) => {
      const byKey = new Map(kept.map((row) => [key(row), { row, index: null as number | null }]));
      incoming.forEach((row, i) => byKey.set(key(row), { row, index: places[section][i].index }));
      return [...byKey.values()];
    };
    const parts = {
      topics: merged('topics', stored.topics, sections.topics, (t) => t.code),
      regions: merged('regions', stored.regions, resolveRegions(sections.regions), (r) => r.code),
      sources: merged('sources', stored.sources, sections.sources, (s) => s.id),
      indicators: merged('indicators', stored.indicators, sections.indicators, (i) => i.code),
      programs: merged('programs', stored.programs, sections.programs, (p) => p.id),
      pilotZones: [],
      observations: observations.map(({ row, index }) => ({ row, index })),
    };
    const catalog = Object.fromEntries(Object.entries(parts).map(([section, entries]) => [section, entries.map((entry) => entry.row)])) as unknown as Catalog;
    // Rows from the database are the stored catalog's business, not this batch's.
    return findCatalogProblems(catalog, (section, index) => {
      const place = (parts[section] as { index: number | null }[])[index]?.index;
      return place === null || place === undefined ? null : `/${section}/${place}`;
    });
  }

  /**
   * An indicator's unit or measure type changed under figures already published would serve them as
   * what they are not (万户 counts as yuan). Refused, naming how many figures it has: retract them,
   * or give the new meaning a new indicator.
   */
  private async meaningChanges(indicators: { index: number; row: IndicatorRow }[]): Promise<BatchProblem[]> {
    if (!indicators.length) return [];
    const changed = await this.db.query<{ i: number; field: 'unit' | 'measureType'; stored: string; figures: number; examples: string[] }[]>(
      `SELECT k.i, CASE WHEN i.unit <> k.unit THEN 'unit' ELSE 'measureType' END AS field,
              CASE WHEN i.unit <> k.unit THEN i.unit ELSE i.measure_type END AS stored,
              count(o.id)::int AS figures, (array_agg(o.id ORDER BY o.id))[1:5]::text[] AS examples
         FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS k(code, unit, measure_type, i)
         JOIN indicators i ON i.code = k.code AND (i.unit <> k.unit OR i.measure_type <> k.measure_type)
         JOIN published_observations o ON o.indicator_code = k.code
        GROUP BY k.i, i.unit, k.unit, i.measure_type`,
      [indicators.map((r) => r.row.code), indicators.map((r) => r.row.unit), indicators.map((r) => r.row.measureType)],
    );
    return changed.map(({ i, field, stored, figures, examples }) => {
      const { row, index } = indicators[Number(i) - 1];
      return {
        pointer: `/indicators/${index}/${field}`,
        message: `${row.code} has ${figures} published figure${figures === 1 ? '' : 's'} in ${stored} (observations ${examples.join(', ')}${figures > examples.length ? ', …' : ''}); changing its ${field} would serve them as ${row[field]}. Retract them first, or give the new meaning a new indicator`,
      };
    });
  }

  private async missingRetractions(retractions: ParsedBatch['retractions']): Promise<BatchProblem[]> {
    if (!retractions.length) return [];
    const rows = retractions.map((r) => r.row);
    const found = await this.db.query<{ i: number }[]>(
      `SELECT k.i FROM unnest($1::text[], $2::text[], $3::date[], $4::text[]) WITH ORDINALITY AS k(region, indicator, as_of, reporter, i)
        WHERE EXISTS (SELECT 1 FROM observations o WHERE o.region_code = k.region AND o.indicator_code = k.indicator AND o.as_of = k.as_of
                        AND o.reporter IS NOT DISTINCT FROM k.reporter)`,
      [rows.map((r) => r.region), rows.map((r) => r.indicator), rows.map((r) => r.asOf), rows.map((r) => r.reporter ?? null)],
    );
    const present = new Set(found.map((f) => Number(f.i) - 1));
    return retractions.flatMap((r, i) =>
      present.has(i) ? [] : [{ pointer: `/observations/${r.index}`, message: `retracts ${r.row.region} ${r.row.indicator} ${r.row.asOf}, which does not exist` }],
    );
  }

  private async storedCatalog(): Promise<Omit<Catalog, 'pilotZones' | 'observations'>> {
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

  /** Writes the batch in one transaction under the sync lock; a dry run compares, writes, counts and rolls back. */
  private async write(batchId: number, batch: ParsedBatch, dryRun: boolean): Promise<{ counts: BatchCounts; updates: BatchUpdate[] }> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const manager = runner.manager;
      // A batch may wait for the one before it and write 50,000 rows: longer than a read may take.
      await manager.query(`SET LOCAL statement_timeout = '15min'`);
      await manager.query(`SELECT pg_advisory_xact_lock($1)`, [SYNC_LOCK]);
      await manager.query(`SELECT set_config('app.batch_id', $1, true), set_config('app.batch_at', clock_timestamp()::text, true)`, [String(batchId)]);
      const updates = dryRun ? await this.updates(manager, batch.observations) : [];
      const { pilotZones: _pilotZones, ...counts } = await writeCatalog(manager, {
        ...batch.sections,
        regions: resolveRegions(batch.sections.regions),
        pilotZones: [],
        observations: batch.observations.map((o) => o.row),
      });
      const result = {
        counts: {
          ...counts,
          retractions: await this.retract(
            manager,
            batch.retractions.map((r) => r.row),
          ),
        },
        updates,
      };
      if (dryRun) await runner.rollbackTransaction();
      else await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async retract(manager: EntityManager, rows: RetractionRow[]): Promise<{ retracted: number; unchanged: number }> {
    if (!rows.length) return { retracted: 0, unchanged: 0 };
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
  private async updates(manager: EntityManager, observations: ParsedBatch['observations']): Promise<BatchUpdate[]> {
    if (!observations.length) return [];
    const o = observations.map((entry) => entry.row);
    const current = await manager.query<(Record<string, unknown> & { i: number })[]>(
      `SELECT k.i, e.as_of_precision AS "asOfPrecision", e.as_of_inferred AS "asOfInferred", e.period_start AS "periodStart", e.value,
              e.value_printed AS "valuePrinted", e.unit_printed AS "unitPrinted", e.qualifier, e.program_id AS program, e.source_id AS source,
              e.quote, e.note, e.retracted_at IS NOT NULL AS retracted
         FROM unnest($1::text[], $2::text[], $3::date[], $4::text[]) WITH ORDINALITY AS k(region, indicator, as_of, reporter, i)
         JOIN observations e ON e.region_code = k.region AND e.indicator_code = k.indicator AND e.as_of = k.as_of AND e.reporter IS NOT DISTINCT FROM k.reporter`,
      [o.map((r) => r.region), o.map((r) => r.indicator), o.map((r) => r.asOf), o.map((r) => r.reporter ?? null)],
    );
    return current.flatMap((before) => {
      const { index, row: after } = observations[Number(before.i) - 1];
      const changed = OBSERVATION_FIELDS.filter((field) => (before[field] ?? null) !== (after[field] ?? null));
      if (!changed.length && !before.retracted) return [];
      return [
        {
          index,
          key: { region: after.region, indicator: after.indicator, asOf: after.asOf, reporter: after.reporter ?? null },
          before: Object.fromEntries(changed.map((f) => [f, before[f] ?? null])),
          after: Object.fromEntries(changed.map((f) => [f, after[f] ?? null])),
          ...(before.retracted ? { unretracts: true as const } : {}),
        },
      ];
    });
  }
}
