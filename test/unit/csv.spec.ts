import { csvToBatch, OBSERVATION_CSV_COLUMNS, toCsv } from '../../src/catalog/csv.js';

describe('CSV of observations', () => {
  it('has the batch row’s fields as its first columns, then the read-only ones', () => {
    expect(OBSERVATION_CSV_COLUMNS.slice(0, 15)).toEqual([
      'region',
      'indicator',
      'asOf',
      'reporter',
      'asOfPrecision',
      'asOfInferred',
      'periodStart',
      'value',
      'valuePrinted',
      'unitPrinted',
      'qualifier',
      'program',
      'source',
      'quote',
      'note',
    ]);
    expect(OBSERVATION_CSV_COLUMNS).toEqual(expect.arrayContaining(['id', 'regionNameZh', 'display']));
  });

  it('reads records into observations typed by the schema, passing over read-only columns, with each record’s line', () => {
    const { batch, lines } = csvToBatch(
      '\uFEFFregion,indicator,asOf,value,asOfInferred,note,id,display\r\n330000,smb_outreach.enterprises_visited,2026-05-31,6010000,false,,17,601万家\r\n\r\n330000,x.y,2026-01-01,,true,"a, b\nc",,\r\n',
    );
    expect(batch.observations).toEqual([
      { region: '330000', indicator: 'smb_outreach.enterprises_visited', asOf: '2026-05-31', value: 6010000, asOfInferred: false },
      { region: '330000', indicator: 'x.y', asOf: '2026-01-01', asOfInferred: true, note: 'a, b\nc' },
    ]);
    // The blank line 3 is skipped; the second record ends on line 5.
    expect(lines).toEqual([2, 5]);
  });

  it('keeps a malformed number or boolean as text, for validation to name', () => {
    expect(csvToBatch('value,asOfInferred,unknown\n12abc,yes,x\n').batch.observations).toEqual([{ value: '12abc', asOfInferred: 'yes', unknown: 'x' }]);
  });

  it('writes what it reads: quotes, commas, line breaks and Chinese survive a round trip', () => {
    const row = {
      region: '330000',
      indicator: 'a.b',
      asOf: '2026-04-30',
      value: 5960000,
      asOfInferred: false,
      quote: '截至2026年4月末，浙江“已”组织走访企业596万家, "quoted"\n next line',
    };
    const text = toCsv(
      [row],
      OBSERVATION_CSV_COLUMNS.filter((column) => column in row),
    );
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(csvToBatch(text).batch.observations).toEqual([row]);
  });
});
