import { PROBLEM_TYPES, type ProblemBody } from '../errors/problem.js';
import type { WriteCounts } from '../catalog/schema.js';

/** A problem with a batch, by its place in the body (JSON Pointer) and, for CSV, the line it came from. */
export interface BatchProblem {
  pointer: string;
  message: string;
  line?: number;
}

export type BatchCounts = Record<string, WriteCounts | { retracted: number; unchanged: number }>;

/** One figure a dry run would change: which fields, before and after. */
export interface BatchUpdate {
  index: number;
  key: { region: string; indicator: string; asOf: string; reporter: string | null };
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  unretracts?: true;
}

/** What became of a submitted batch. The sync service decides it; `toResponse` says it in HTTP. */
export type BatchOutcome =
  | { kind: 'applied'; batchId: number; counts: BatchCounts }
  | { kind: 'checked'; batchId: number; counts: BatchCounts; updates: BatchUpdate[] }
  | { kind: 'rejected'; batchId: number; problems: BatchProblem[]; total: number; tooLarge: boolean }
  | { kind: 'failed'; batchId: number }
  | { kind: 'unreadable'; batchId: number; reason: string }
  | { kind: 'in-use'; key: string; batchId: number | null }
  | { kind: 'key-reused'; key: string; batchId: number }
  | { kind: 'replayed'; response: BatchResponse };

export interface BatchResponse {
  status: number;
  body: Record<string, unknown>;
}

/** The status a batch is logged with in sync_batches, for the outcomes that end one. */
export const LOGGED_STATUS = { applied: 'applied', checked: 'dry_run', rejected: 'rejected', failed: 'failed', unreadable: 'failed' } as const;

/** A problem about a batch: its instance is the batch's record in the log (or the log itself, before there is one). */
const problem = (status: number, type: string, title: string, detail: string, batchId: number | null, extra: Record<string, unknown> = {}): BatchResponse => ({
  status,
  body: { type, title, status, detail, instance: batchId ? `/v1/sync/batches/${batchId}` : '/v1/sync/batches', ...extra } satisfies ProblemBody,
});

/** The problem's field (or section) name and row, read off its pointer: /observations/3/asOf is observations, 3, asOf. */
function located({ pointer, message, line }: BatchProblem) {
  const [section = '', row, ...rest] = pointer.split('/').slice(1);
  const index = row !== undefined && /^\d+$/.test(row) ? Number(row) : null;
  const name = (index === null ? [row, ...rest] : rest).filter((part) => part !== undefined).at(-1) ?? section;
  return { location: 'body', pointer, section, index, name: name.replace(/~1/g, '/').replace(/~0/g, '~'), ...(line ? { line } : {}), message };
}

/** The HTTP answer to an outcome: what the sender receives, and what a retry with its Idempotency-Key receives again. */
export function toResponse(outcome: BatchOutcome): BatchResponse {
  switch (outcome.kind) {
    case 'applied':
      return { status: 201, body: { batchId: outcome.batchId, status: 'applied', dryRun: false, counts: outcome.counts } };
    case 'checked':
      return { status: 200, body: { batchId: outcome.batchId, status: 'dry_run', dryRun: true, counts: outcome.counts, updates: outcome.updates } };
    case 'rejected': {
      const count = `${outcome.total.toLocaleString('en')} problem${outcome.total === 1 ? '' : 's'}${outcome.total > outcome.problems.length ? `, the first ${outcome.problems.length.toLocaleString('en')} listed` : ''}`;
      return outcome.tooLarge
        ? problem(
            413,
            PROBLEM_TYPES.payloadTooLarge,
            'Payload Too Large',
            `Batch ${outcome.batchId} holds more rows than a batch may (${count}); nothing was written. Send it in parts.`,
            outcome.batchId,
            { batchId: outcome.batchId, errors: outcome.problems.map(located) },
          )
        : problem(422, PROBLEM_TYPES.unprocessable, 'Unprocessable Content', `Batch ${outcome.batchId} was rejected with ${count}; nothing was written.`, outcome.batchId, {
            batchId: outcome.batchId,
            errors: outcome.problems.map(located),
          });
    }
    case 'failed':
      return problem(
        500,
        PROBLEM_TYPES.internal,
        'Internal Server Error',
        `Batch ${outcome.batchId} failed and nothing was written. The error is logged; retrying will not help until it is fixed.`,
        outcome.batchId,
        { batchId: outcome.batchId },
      );
    case 'unreadable':
      return problem(502, PROBLEM_TYPES.badGateway, 'Bad Gateway', `Batch ${outcome.batchId} failed: ${outcome.reason}`, outcome.batchId, { batchId: outcome.batchId });
    case 'in-use':
      return problem(
        409,
        PROBLEM_TYPES.conflict,
        'Conflict',
        `${outcome.batchId ? `Batch ${outcome.batchId}` : 'A batch'} with Idempotency-Key "${outcome.key}" is still being processed; retry shortly.`,
        outcome.batchId,
      );
    case 'key-reused':
      return problem(
        422,
        PROBLEM_TYPES.unprocessable,
        'Unprocessable Content',
        `Idempotency-Key "${outcome.key}" was already used for a different request (batch ${outcome.batchId}); use a new key for a new batch.`,
        outcome.batchId,
      );
    case 'replayed':
      return outcome.response;
  }
}
