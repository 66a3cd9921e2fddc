import { DisplayQueryDto } from './read-query.dto.js';
import { Type } from 'class-transformer';
import { IsOptional } from 'class-validator';
import { IsWholeNumber } from './query-rules.js';

export const MAX_PAGE_SIZE = 200;

export class PageQueryDto extends DisplayQueryDto {
  /** 1-based page number. */
  @IsOptional()
  @Type(() => Number)
  @IsWholeNumber(1, 1_000_000)
  page?: number = 1;

  /** Items per page. */
  @IsOptional()
  @Type(() => Number)
  @IsWholeNumber(1, MAX_PAGE_SIZE)
  pageSize?: number = 50;
}

export class PageMetaDto {
  /** @example 1 */
  page: number;
  /** @example 50 */
  pageSize: number;
  /** Number of items matching the filters, across all pages. */
  total: number;
  /** @example 1 */
  totalPages: number;
}

export class PageLinksDto {
  /** This page, as a path with its query string. */
  self: string;
  first: string;
  last: string;
  next: string | null;
  prev: string | null;
}

export class PageDto {
  meta: PageMetaDto;
  links: PageLinksDto;
}

/** The path and query of `url` with some parameters set (or removed, for null). */
export function withQuery(url: string, changes: Record<string, string | null>): string {
  const [pathname, search = ''] = url.split('?');
  const params = new URLSearchParams(search);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) params.delete(name);
    else params.set(name, value);
  }
  return `${pathname}?${params.toString()}`;
}

/** The meta and links of a page; `url` is the request's path and query. */
export function pageEnvelope(url: string, page: number, pageSize: number, total: number): PageDto {
  const totalPages = Math.max(1, Math.ceil(total / pageSize));
  const link = (target: number) => withQuery(url, { cursor: null, page: String(target), pageSize: String(pageSize) });
  return {
    meta: { page, pageSize, total, totalPages },
    links: {
      self: link(page),
      first: link(1),
      last: link(totalPages),
      next: page < totalPages ? link(page + 1) : null,
      prev: page > 1 ? link(Math.min(page - 1, totalPages)) : null,
    },
  };
}
