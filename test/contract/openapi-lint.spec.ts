import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/config/paths.js';

type Finding = { code: string; severity: number; path: string[]; message: string };

// Spectral with the OpenAPI and OWASP rulesets: no error, and every warning's rule listed with a reason in .spectral.yaml.
describe('openapi.json lint', () => {
  const result = spawnSync(path.join(projectRoot, 'node_modules/.bin/spectral'), ['lint', 'openapi.json', '-f', 'json', '--quiet', '--fail-severity=error'], {
    cwd: projectRoot,
    encoding: 'utf8',
  });

  it('ran Spectral with its rulesets and got a report', () => {
    // Exit 0: no errors; 1 would be errors (reported below); 2 or a spawn error: Spectral or its ruleset did not load.
    expect(result.error).toBeUndefined();
    expect(result.stderr).toBe('');
    expect([0, 1]).toContain(result.status);
    expect(result.stdout.trim()).toMatch(/^\[/);
  });

  // Parsed only when Spectral produced a report: otherwise the test above says why, and these find nothing.
  const findings = (/^\s*\[/.test(result.stdout) ? JSON.parse(result.stdout) : []) as Finding[];

  it('found the OWASP rules it is meant to run (the rulesets were loaded)', () => {
    // The health checks are public by design, and so always read "not protected": proof the OWASP ruleset ran.
    expect(findings.some((f) => f.code === 'owasp:api2:2023-read-restricted' && f.path.includes('/health/live'))).toBe(true);
  });

  it('has no errors', () => {
    expect(findings.filter((f) => f.severity === 0).map((f) => `${f.code} at ${f.path.join('.')}: ${f.message}`)).toEqual([]);
  });

  it('explains every warning rule it leaves', () => {
    const ruleset = readFileSync(path.join(projectRoot, '.spectral.yaml'), 'utf8');
    const unexplained = [...new Set(findings.filter((f) => f.severity === 1).map((f) => f.code))].filter((code) => !ruleset.includes(`# - ${code}:`));
    expect(unexplained).toEqual([]);
  });
});
