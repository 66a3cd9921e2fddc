import { ProblemException } from '../errors/problem.js';

/**
 * Where the next page starts, for keyset pagination: the sort it belongs to, the sort values and id
 * of the last row served, and the page number and total counted on the first page (so deep pages
 * neither skip rows with OFFSET nor count again). Opaque to clients: they follow links.next.
 */
export interface Position {
  sort: string;
  after: (string | number)[];
  page: number;
  total: number;
}

export const encodeCursor = (position: Position): string => Buffer.from(JSON.stringify([position.sort, position.after, position.page, position.total])).toString('base64url');

export function decodeCursor(cursor: string, sort: string): Position {
  const refuse = (message: string) => ProblemException.validation([{ location: 'query', name: 'cursor', message }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse('cursor is not one this API issued; follow links.next of the previous page');
  }
  const [cursorSort, after, page, total] = Array.isArray(parsed) ? parsed : [];
  const valid =
    typeof cursorSort === 'string' &&
    Array.isArray(after) &&
    after.length === cursorSort.split(',').length + 1 &&
    after.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) &&
    Number.isInteger(page) &&
    page >= 2 &&
    Number.isInteger(total) &&
    total >= 0;
  if (!valid) throw refuse('cursor is not one this API issued; follow links.next of the previous page');
  if (cursorSort !== sort) throw refuse(`cursor continues a listing sorted by ${cursorSort}; send the same sort (or none) with it`);
  return { sort: cursorSort, after, page, total };
}
