import { redactCredentials } from '../../src/config/redact.js';

describe('redactCredentials', () => {
  it('removes the user, password and query values of every URL in a text, and keeps the rest', () => {
    expect(redactCredentials('https://etl:s3cret@data.example.com/batch.csv?token=abc&format=csv')).toBe(
      'https://redacted@data.example.com/batch.csv?token=redacted&format=redacted',
    );
    expect(redactCredentials('could not read http://u:p@10.0.0.5:8080/b.json: connect ECONNREFUSED')).toBe(
      'could not read http://redacted@10.0.0.5:8080/b.json: connect ECONNREFUSED',
    );
    expect(redactCredentials('postgres://app:pw@db.internal:5432/finance')).toBe('postgres://redacted@db.internal:5432/finance');
    expect(redactCredentials('/var/data/batch.csv')).toBe('/var/data/batch.csv');
    expect(redactCredentials('https://data.example.com/batch.json')).toBe('https://data.example.com/batch.json');
  });
});
