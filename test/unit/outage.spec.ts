import { DatabaseOutage } from '../../src/errors/outage.js';

describe('DatabaseOutage', () => {
  it('tells an outage in one line, a count every ten seconds while it lasts, and one line when it ends', () => {
    let now = 0;
    const lines: string[] = [];
    const outage = new DatabaseOutage(() => now, { warn: (line: string) => lines.push(line), log: (line: string) => lines.push(line) });
    outage.available();
    expect(lines).toEqual([]);
    for (let i = 0; i < 1000; i++) {
      now = i * 25; // 1,000 refused requests over 25 s
      outage.unavailable(new Error('connect ECONNREFUSED 10.0.0.5:5432 postgres://app:secret@db/finance'), true);
    }
    outage.unavailable(new Error('poll failed'), false);
    now = 30_000;
    outage.available();
    outage.available();
    expect(lines).toEqual([
      'Unavailable (connect ECONNREFUSED 10.0.0.5:5432 postgres://redacted@db/finance): answering 503 until it is back',
      'Still unavailable after 10.0 s; 401 requests answered 503 so far',
      'Still unavailable after 20.0 s; 801 requests answered 503 so far',
      'Available again after 30.0 s; 1000 requests were answered 503',
    ]);
    expect(outage.down).toBe(false);
  });
});
