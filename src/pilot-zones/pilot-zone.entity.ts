import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

@Entity('pilot_zones')
export class PilotZone {
  @PrimaryColumn({ name: 'region_code', type: 'varchar', length: 6 })
  regionCode: string;

  @Column({ name: 'name_zh', type: 'text' })
  nameZh: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;

  @Column({ name: 'approval_year', type: 'integer' })
  approvalYear: number;

  @Column({ type: 'integer' })
  batch: number;

  @Column({ name: 'plan_document', type: 'text', nullable: true })
  planDocument: string | null;

  @Column({ name: 'source_id', type: 'text' })
  sourceId: string;

  @Column({ type: 'text' })
  quote: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;
}

@Entity('pilot_zone_distinctions')
export class PilotZoneDistinction {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ name: 'region_code', type: 'varchar', length: 6 })
  regionCode: string;

  @Column({ name: 'text_zh', type: 'text' })
  textZh: string;

  @Column({ name: 'text_en', type: 'text' })
  textEn: string;

  @Column({ name: 'source_id', type: 'text' })
  sourceId: string;

  @Column({ type: 'text' })
  quote: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;
}
