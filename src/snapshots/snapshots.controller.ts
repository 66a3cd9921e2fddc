import { Controller, Get, Param, Query, Redirect, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { ApiProblemResponses } from '../errors/problem.dto.js';
import { LanguageQueryDto } from '../http/read-query.dto.js';
import { Policy } from '../http/route-policy.js';
import { SNAPSHOT_FILES } from './data-package.js';
import { DataPackageDto, ListSnapshotsQueryDto, SnapshotDayPageDto } from './snapshot.dto.js';
import { snapshotPath, SnapshotsService } from './snapshots.service.js';

const DatePath = () => ApiParam({ name: 'date', description: 'latest, or a day (YYYY-MM-DD, in China): the snapshot holds what was published by its end.', example: 'latest' });
const FilePath = () => ApiParam({ name: 'file', description: 'A file of the snapshot.', enum: SNAPSHOT_FILES, example: 'observations.csv' });
const Found = (to: string) => ApiResponse({ status: 302, description: `Found: Location is ${to}.` });

@ApiTags('snapshots')
@Controller('v1/snapshots')
export class SnapshotsController {
  constructor(private readonly snapshots: SnapshotsService) {}

  /** The days on which something was published, newest first, each with its snapshot: everything published, as files to download or load into another instance. */
  @Get()
  @Policy({ cache: 'public' })
  @ApiProblemResponses(400)
  list(@Query() query: ListSnapshotsQueryDto, @Req() request: FastifyRequest): Promise<SnapshotDayPageDto> {
    return this.snapshots.list(query, request.url);
  }

  /** A day's snapshot (latest: the newest day anything was published): redirects to its datapackage.json. */
  @Get(':date')
  @Policy({ cache: 'none', representation: false })
  @Redirect()
  @DatePath()
  @Found('/v1/snapshots/{day}/datapackage.json')
  @ApiProblemResponses(400, 404)
  async day(@Param('date') date: string, @Query() _query: LanguageQueryDto): Promise<{ url: string; statusCode: number }> {
    return { url: snapshotPath((await this.snapshots.day(date)).date), statusCode: 302 };
  }

  /** A file of the newest snapshot: redirects to the same file of the day it is of. */
  @Get('latest/:file')
  @Policy({ cache: 'none', representation: false })
  @Redirect()
  @ApiParam({ name: 'file', description: 'datapackage.json or a file it lists.', enum: ['datapackage.json', ...SNAPSHOT_FILES], example: 'datapackage.json' })
  @Found('/v1/snapshots/{day}/{file}')
  @ApiProblemResponses(400, 404)
  async latest(@Param('file') file: string, @Query() _query: LanguageQueryDto): Promise<{ url: string; statusCode: number }> {
    this.snapshots.tableOf(file);
    return { url: snapshotPath((await this.snapshots.day('latest')).date, file), statusCode: 302 };
  }

  /**
   * A Frictionless Tabular Data Package descriptor: each file's Table Schema, size and sha256, the
   * licence and the sources. Files are named relative to it.
   */
  @Get(':date/datapackage.json')
  @Policy({ cache: 'public', representation: false })
  @DatePath()
  @ApiProblemResponses(400, 404)
  descriptor(@Param('date') date: string, @Query() _query: LanguageQueryDto): Promise<DataPackageDto> {
    return this.snapshots.descriptor(date);
  }

  /** One CSV file of a snapshot (RFC 4180, UTF-8, no byte-order mark), as its descriptor describes it. */
  @Get(':date/:file')
  @Policy({ cache: 'public', representation: false })
  @DatePath()
  @FilePath()
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string' }, description: 'The file.' })
  @ApiProblemResponses(400, 404)
  async file(@Param('date') date: string, @Param('file') file: string, @Query() _query: LanguageQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<Readable> {
    const pieces = await this.snapshots.file(date, file);
    reply.header('Content-Type', 'text/csv; charset=utf-8');
    reply.header('Content-Disposition', `attachment; filename="${date}-${file}"`);
    return Readable.from(pieces);
  }
}
