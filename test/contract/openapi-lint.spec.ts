import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/config/paths.js';

type Finding = { code: string; severity: number; path: string[]; message: string };

// Spectral with the OpenAPI and OWASP rulesets: no error, and every warning's rule listed with a reason in .spectral.yaml.
describe('openapi.json lint', () => {
  const result = spawnSync(path.join(projectRoot, 'node_modules/.bin/spectral'), ['lint', 'openapi.json', '-f', 'json', '--quiet'], { cwd: projectRoot, encoding: 'utf8' });
  const findings = JSON.parse(result.stdout || '[]') as Finding[];

  it('has no errors', () => {
    expect(findings.filter((f) => f.severity === 0).map((f) => `${f.code} at ${f.path.join('.')}: ${f.message}`)).toEqual([]);
  });

  it('explains every warning rule it leaves', () => {
    const ruleset = readFileSync(path.join(projectRoot, '.spectral.yaml'), 'utf8');
    const unexplained = [...new Set(findings.filter((f) => f.severity === 1).map((f) => f.code))].filter((code) => !ruleset.includes(`# - ${code}:`));
    expect(unexplained).toEqual([]);
  });
});
