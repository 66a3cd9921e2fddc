import { Indicator, IndicatorComparison, Topic } from '../indicators/indicator.entity.js';
import { Observation } from '../observations/observation.entity.js';
import { PilotZone, PilotZoneDistinction } from '../pilot-zones/pilot-zone.entity.js';
import { Program } from '../programs/program.entity.js';
import { Region } from '../regions/region.entity.js';
import { Source } from '../sources/source.entity.js';

export const entities = [Region, Source, Topic, Indicator, IndicatorComparison, Program, PilotZone, PilotZoneDistinction, Observation];
