import { DisplayQueryDto } from './display.js';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 200;

export class PageQueryDto extends DisplayQueryDto {
  /** 1-based page number. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number = 1;

  /** Items per page. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
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

/** The meta and links of a page; `url` is the request's path and query. */
export function pageEnvelope(url: string, page: number, pageSize: number, total: number): PageDto {
  const totalPages = Math.max(1, Math.ceil(total / pageSize));
  const [pathname, search = ''] = url.split('?');
  const link = (target: number) => {
    const params = new URLSearchParams(search);
    params.set('page', String(target));
    params.set('pageSize', String(pageSize));
    return `${pathname}?${params.toString()}`;
  };
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
