import { CsvReader, csvToBatch, parseCsv } from '../../src/sync/batch-csv.js';

describe('CSV batches', () => {
  it('parses quoted fields with commas, quotes and line breaks, and drops a byte-order mark', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi""\nthere"\r\n')).toEqual([['a', 'b'], ['x, y', 'say "hi"\nthere']]);
  });

  it('turns lines into observations with typed values', () => {
    const batch = csvToBatch('region,indicator,asOf,value,asOfInferred,note\n330000,smb_outreach.enterprises_visited,2026-05-31,6010000,false,\n330000,x.y,2026-01-01,,true,"a, b"\n');
    expect(batch.observations).toEqual([
      { region: '330000', indicator: 'smb_outreach.enterprises_visited', asOf: '2026-05-31', value: 6010000, asOfInferred: false },
      { region: '330000', indicator: 'x.y', asOf: '2026-01-01', asOfInferred: true, note: 'a, b' },
    ]);
  });

  it('keeps a malformed number as text, for validation to name', () => {
    expect(csvToBatch('value\n12abc\n').observations).toEqual([{ value: '12abc' }]);
  });
});

describe('CsvReader', () => {
  it('reads the same rows whatever the chunk boundaries', () => {
    const text = '\uFEFFa,b,c\r\n1,"x, ""y""\r\nz",3\r\n"",,"end"\n\n4,5,"6"';
    const whole = parseCsv(text);
    expect(whole).toEqual([['a', 'b', 'c'], ['1', 'x, "y"\r\nz', '3'], ['', '', 'end'], ['4', '5', '6']]);
    for (let size = 1; size <= text.length; size++) {
      const reader = new CsvReader();
      const rows: string[][] = [];
      for (let i = 0; i < text.length; i += size) rows.push(...reader.push(text.slice(i, i + size)));
      rows.push(...reader.end());
      expect(rows).toEqual(whole);
    }
  });
});
