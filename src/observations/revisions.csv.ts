import type { CsvRow } from '../http/csv.js';
import type { RevisionListDto } from './observation.dto.js';

/** One line per revision, oldest first, with the figure's region and indicator on every line. */
export function revisionRows(body: RevisionListDto): { rows: CsvRow[] } {
  return {
    rows: body.data.map((revision) => ({
      observation_id: body.observationId,
      revision_id: revision.id,
      region_code: body.region.code,
      indicator_code: body.indicator.code,
      valid_from: new Date(revision.validFrom).toISOString(),
      valid_to: revision.validTo ? new Date(revision.validTo).toISOString() : null,
      retracted: revision.retracted,
      batch_id: revision.batchId,
      batch_origin: revision.batchOrigin,
      value: revision.value,
      unit: revision.unit,
      display: revision.display,
      value_printed: revision.valuePrinted,
      unit_printed: revision.unitPrinted,
      qualifier: revision.qualifier,
      as_of: revision.asOf,
      as_of_inferred: revision.asOfInferred,
      source_id: revision.sourceId,
      quote: revision.quote,
      note: revision.note,
    })),
  };
}
