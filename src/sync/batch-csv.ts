/** RFC 4180 rows: quoted fields may hold commas, quotes ("") and line breaks. A leading byte-order mark is dropped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const input = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < input.length; i++) {
    const char = input[i];
    if (quoted) {
      if (char === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && input[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.length > 1 || r[0] !== '');
}

const NUMBERS = new Set(['value']);
const BOOLEANS = new Set(['asOfInferred', 'retract']);

/**
 * A CSV batch: one observation per line, with the batch format's field names as the header.
 * Empty cells are absent fields; value is a number and asOfInferred/retract are true or false.
 */
export function csvToBatch(text: string): { observations: Record<string, unknown>[] } {
  const [header, ...lines] = parseCsv(text);
  if (!header) return { observations: [] };
  return {
    observations: lines.map((cells) => {
      const row: Record<string, unknown> = {};
      header.forEach((name, i) => {
        const cell = cells[i] ?? '';
        if (cell === '') return;
        row[name.trim()] = NUMBERS.has(name) && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(cell) ? Number(cell) : BOOLEANS.has(name) && /^(true|false)$/.test(cell) ? cell === 'true' : cell;
      });
      return row;
    }),
  };
}
