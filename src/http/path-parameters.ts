import { ApiParam } from '@nestjs/swagger';

/**
 * Path parameters, each documented once, with a value from the seed that "Try it out" sends as it
 * is and gets data for (the browser test runs every one).
 */
export const RegionPath = (name = 'code') => ApiParam({ name, description: 'A GB/T 2260 code, CN for the nation, or a name (浙江, 浙江省, Zhejiang).', example: '330000' });
export const IndicatorPath = (name = 'code') => ApiParam({ name, description: 'An indicator code, from /v1/indicators.', example: 'smb_outreach.enterprises_visited' });
export const SourcePath = () => ApiParam({ name: 'id', description: 'A source document: its id or file name, from /v1/sources.', example: '002_caa4a03adb5becde' });
export const PilotZonePath = () => ApiParam({ name: 'regionCode', description: 'The region of a pilot zone, by code or name, from /v1/pilot-zones.', example: '370100' });
export const ProgramPath = () => ApiParam({ name: 'id', description: 'A program id, from /v1/programs.', example: 'zheke-joint-loan' });
export const RegionSetPath = () => ApiParam({ name: 'id', description: 'A region set id, from /v1/region-sets.', example: 'yangtze-river-delta' });
export const ObservationPath = () => ApiParam({ name: 'id', description: 'An observation id, from /v1/observations.', example: 1 });
export const BatchPath = () => ApiParam({ name: 'id', description: 'A batch id, from /v1/sync/batches; batch 1 loaded the seed.', example: 1 });
