/**
 * RFC 4180 rows, read incrementally: quoted fields may hold commas, quotes ("") and line breaks, and
 * a chunk may end anywhere (inside a quoted field, between \r and \n). A leading byte-order mark is dropped.
 */
export class CsvReader {
  private row: string[] = [];
  private field = '';
  private quoted = false;
  /** A quote or \r at the end of a chunk whose meaning depends on the next character. */
  private pending = '';
  private started = false;

  push(chunk: string): string[][] {
    let input = this.pending + chunk;
    this.pending = '';
    if (!this.started && input.length) {
      input = input.replace(/^\uFEFF/, '');
      this.started = true;
    }
    const rows: string[][] = [];
    for (let i = 0; i < input.length; i++) {
      const char = input[i];
      if ((char === '"' && this.quoted) || (char === '\r' && !this.quoted)) {
        if (i === input.length - 1) {
          this.pending = char;
          break;
        }
      }
      if (this.quoted) {
        if (char === '"' && input[i + 1] === '"') {
          this.field += '"';
          i++;
        } else if (char === '"') this.quoted = false;
        else this.field += char;
      } else if (char === '"') this.quoted = true;
      else if (char === ',') {
        this.row.push(this.field);
        this.field = '';
      } else if (char === '\n' || char === '\r') {
        if (char === '\r' && input[i + 1] === '\n') i++;
        this.row.push(this.field);
        if (this.row.length > 1 || this.row[0] !== '') rows.push(this.row);
        this.row = [];
        this.field = '';
      } else this.field += char;
    }
    return rows;
  }

  end(): string[][] {
    const rows = this.pending ? this.push('\n') : [];
    if (this.field !== '' || this.row.length) {
      this.row.push(this.field);
      rows.push(this.row);
    }
    this.row = [];
    this.field = '';
    return rows.filter((r) => r.length > 1 || r[0] !== '');
  }
}

export function parseCsv(text: string): string[][] {
  const reader = new CsvReader();
  return [...reader.push(text), ...reader.end()];
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
  return { observations: lines.map((cells) => csvObservation(header, cells)) };
}

/** One CSV line as a batch observation, given the header. */
export function csvObservation(header: string[], cells: string[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  header.forEach((name, i) => {
    const cell = cells[i] ?? '';
    if (cell === '') return;
    row[name.trim()] = NUMBERS.has(name) && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(cell) ? Number(cell) : BOOLEANS.has(name) && /^(true|false)$/.test(cell) ? cell === 'true' : cell;
  });
  return row;
}
