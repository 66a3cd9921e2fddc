import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DatePrecision } from '../sources/source.entity.js';

export const PROGRAM_KINDS = ['loan_product', 'platform', 'policy_tool', 'mechanism', 'institution'] as const;
export type ProgramKind = (typeof PROGRAM_KINDS)[number];

@Entity('programs')
export class Program {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'name_zh', type: 'text' })
  nameZh: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;

  @Column({ name: 'region_code', type: 'varchar', length: 6 })
  regionCode: string;

  @Column({ type: 'text' })
  kind: ProgramKind;

  @Column({ type: 'text', nullable: true })
  operator: string | null;

  @Column({ name: 'launched_on', type: 'date', nullable: true })
  launchedOn: string | null;

  @Column({ name: 'launch_precision', type: 'text', nullable: true })
  launchPrecision: DatePrecision | null;

  @Column({ name: 'description_zh', type: 'text' })
  descriptionZh: string;

  @Column({ name: 'description_en', type: 'text' })
  descriptionEn: string;

  @Column({ name: 'source_id', type: 'text' })
  sourceId: string;

  @Column({ type: 'text' })
  quote: string;
}
