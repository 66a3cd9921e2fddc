import { Column, Entity, PrimaryColumn } from 'typeorm';

export const REGION_LEVELS = ['nation', 'province', 'city', 'district'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

@Entity('regions')
export class Region {
  @PrimaryColumn({ type: 'varchar', length: 6 })
  code: string;

  @Column({ name: 'name_zh', type: 'text' })
  nameZh: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;

  @Column({ type: 'text' })
  level: RegionLevel;

  @Column({ name: 'parent_code', type: 'varchar', length: 6, nullable: true })
  parentCode: string | null;
}
