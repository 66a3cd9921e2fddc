import { RegionRefDto } from '../regions/region.dto.js';

export class RegionSetDto {
  /** Use it as `regionSet=` wherever `regions=` is accepted. @example "pilot-zones" */
  id: string;
  /** @example "科创金融改革试验区" */
  nameZh: string;
  /** @example "Sci-tech finance reform pilot zones" */
  nameEn: string;
  /** How membership is decided. */
  description: string;
  regions: RegionRefDto[];
}

export class RegionSetListDto {
  data: RegionSetDto[];
}
