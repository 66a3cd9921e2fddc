import { Readable } from 'node:stream';
import { csvToBatch, csvToRows, OBSERVATION_CSV_COLUMNS, toCsv } from '../../src/catalog/csv.js';
import { columnsOf, rowReaderOf, SNAPSHOT_TABLES, tableSchema } from '../../src/snapshots/data-package.js';
import { decodeText, decodingStream } from '../../src/catalog/encoding.js';

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

  it('writes no text cell a spreadsheet would run as a formula, and reads each back as it was', () => {
    const quotes = ['=HYPERLINK("http://evil.example","x")', '+1', '-5', '@SUM(A1)', '\tcell', "'=already", "''+twice", "it's fine", 'plain'];
    const rows = quotes.map((quote) => ({ region: '330000', quote }));
    const text = toCsv(rows, ['region', 'quote']);
    expect(text.split('\r\n').slice(1, 6)).toEqual(['330000,"\'=HYPERLINK(""http://evil.example"",""x"")"', "330000,'+1", "330000,'-5", "330000,'@SUM(A1)", "330000,'\tcell"]);
    expect(csvToBatch(text).batch.observations.map((o) => o.quote)).toEqual(quotes);
    // Numbers are numbers, not text: a negative value is written as it is.
    expect(toCsv([{ value: -5 }], ['value'])).toBe('\uFEFFvalue\r\n-5\r\n');
  });

  it('refuses a record with more or fewer cells than the header, naming its line', () => {
    expect(() => csvToBatch('region,quote\n330000,a quote, with an unquoted comma\n')).toThrow(/Invalid Record Length.*line 2/);
    expect(() => csvToBatch('region,quote\n330000\n')).toThrow(/Invalid Record Length.*line 2/);
  });
});

describe('a CSV file of any row shape (a snapshot table)', () => {
  it('writes lists and objects as JSON and reads them back, with the Table Schema saying so', () => {
    const indicators = SNAPSHOT_TABLES.find((table) => table.name === 'indicators')!;
    const row = {
      code: 'a.b',
      nameZh: '甲',
      nameEn: 'A',
      topic: 'a',
      unit: 'percent',
      measureType: 'ratio',
      definitionZh: '定义',
      definitionEn: '=a formula-like definition',
      comparableWith: [{ code: 'a.c', caveatEn: 'differs, "quoted"', caveatZh: '不同' }],
      derivedFrom: { numerator: 'a.c', denominator: 'a.d' },
    };
    const text = toCsv([row], columnsOf(indicators));
    expect(text).toContain(`"[{""code"":""a.c""`);
    expect(csvToRows(text, rowReaderOf(indicators)).rows).toEqual([row]);
    const fields = tableSchema(indicators).fields;
    expect(fields.filter((field) => ['comparableWith', 'derivedFrom'].includes(field.name)).map((field) => field.type)).toEqual(['array', 'object']);
    expect(fields.find((field) => field.name === 'code')).toMatchObject({ constraints: { required: true, pattern: '[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*' } });
  });

  it('marks a field that must be given yet may be empty text as not required, so an empty cell stays ""', () => {
    const observations = SNAPSHOT_TABLES.find((table) => table.name === 'observations')!;
    const unitPrinted = tableSchema(observations).fields.find((field) => field.name === 'unitPrinted');
    expect(unitPrinted?.constraints?.required).toBeUndefined();
    expect(csvToRows('unitPrinted,note\r\n,\r\n', rowReaderOf(observations)).rows).toEqual([{ unitPrinted: '' }]);
  });
});

describe('decoding a file', () => {
  it('reads UTF-8 (with or without a byte-order mark) and UTF-16 by its byte-order mark', () => {
    expect(decodeText(Buffer.from('\uFEFF浙江,1', 'utf8'))).toBe('浙江,1');
    expect(decodeText(Buffer.from('浙江,1', 'utf8'))).toBe('浙江,1');
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('浙江,1', 'utf16le')]))).toBe('浙江,1');
  });

  it('refuses bytes of another encoding instead of reading them as U+FFFD', () => {
    expect(() => decodeText(Buffer.from('region,浙江', 'utf16le'))).toThrow(/NUL bytes, as UTF-16 without a byte-order mark/);
    expect(() => decodeText(Buffer.from([0x41, 0xc3, 0x28]))).toThrow(/not valid UTF-8/);
  });

  it('decodes a stream the same way, and fails it on bad bytes', async () => {
    const read = async (chunks: Buffer[]) => {
      let text = '';
      for await (const piece of Readable.from(chunks).pipe(decodingStream())) text += piece;
      return text;
    };
    const bytes = Buffer.from('浙江省,江苏省', 'utf8');
    // A character split between chunks is joined again.
    expect(await read([bytes.subarray(0, 4), bytes.subarray(4)])).toBe('浙江省,江苏省');
    await expect(read([Buffer.from('ok'), Buffer.from([0xc3, 0x28])])).rejects.toThrow(/not valid UTF-8/);
  });
});
