import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { projectRoot } from '../../src/config/paths.js';
import { createApiKey } from '../support/api-keys.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The README and docs/, as a reader has them. */
const DOCUMENTS = [
  'README.md',
  ...readdirSync(path.join(projectRoot, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .map((file) => path.join('docs', file)),
].map((file) => ({
  file,
  text: readFileSync(path.join(projectRoot, file), 'utf8'),
}));

/** Every path or URL the documents name in inline code. */
const namedPaths = () =>
  [...new Set(DOCUMENTS.flatMap(({ text }) => [...text.matchAll(/`(?:GET )?(\/v1\/[^`\s]*)`/g)].map((match) => match[1])))].filter(
    (named) => !named.includes('<') && !named.includes('…'),
  );

/** Fenced shell blocks' curl commands, whole: continued by a trailing backslash or by an open single quote. */
const curlCommands = () =>
  DOCUMENTS.flatMap(({ text }) => [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((block) => block[1])).flatMap((block) => {
    const commands: string[] = [];
    let current: string | undefined;
    for (const line of block.split('\n')) {
      if (current === undefined && !line.trimStart().startsWith('curl ')) continue;
      current = current === undefined ? line : `${current}\n${line}`;
      const open = (current.match(/'/g) ?? []).length % 2 === 1;
      if (!open && !line.endsWith('\\')) {
        commands.push(current.replace(/\\\n\s*/g, ' '));
        current = undefined;
      }
    }
    return commands;
  });

/** The README's sample observation: the first fenced JSON block after "An observation looks like this". */
const sampleObservation = () => {
  const text = DOCUMENTS[0].text;
  const from = text.indexOf('An observation looks like this');
  const block = /```json\n([\s\S]*?)```/.exec(text.slice(from))!;
  return JSON.parse(block[1]) as Record<string, unknown>;
};

/** Keeps what the README states: drops "…" keys, and a quote abridged with … becomes the text it must contain. */
function stated(node: unknown): unknown {
  if (typeof node === 'string' && node.includes('…'))
    return expect.stringContaining(
      node
        .split('…')
        .filter(Boolean)
        .sort((a, b) => b.length - a.length)[0],
    );
  if (Array.isArray(node) || typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== '…')
      .map(([key, value]) => [key, stated(value)]),
  );
}

describe('the README and docs/ say what the service does', () => {
  let t: TestApp;
  let documented: Record<string, Record<string, unknown>>;
  beforeAll(async () => {
    t = await startTestApp('readme');
    documented = (await request(t.http).get('/openapi.json').expect(200)).body.paths;
  });
  afterAll(() => t.close());

  it('names only paths the service has, and every URL they give answers 200', async () => {
    const named = namedPaths();
    expect(named.length).toBeGreaterThan(20);
    const paths = named.filter((p) => !p.includes('?'));
    expect(paths.filter((p) => !documented[p])).toEqual([]);
    const urls = named.filter((p) => p.includes('?'));
    expect(urls.length).toBeGreaterThan(3);
    const answers: Record<string, number> = {};
    for (const url of urls) answers[url] = (await request(t.http).get(url)).status;
    expect(answers).toEqual(Object.fromEntries(urls.map((url) => [url, 200])));
  });

  it('runs their curl examples as written, against this service', async () => {
    const commands = curlCommands();
    expect(commands.length).toBeGreaterThan(0);
    const key = await createApiKey(t.database.url, 'readme', ['sync:write']);
    for (const command of commands) {
      const { stdout } = await promisify(execFile)('sh', ['-c', `${command.replaceAll('http://localhost:3000', t.http)} -sS -o /dev/null -w '%{http_code}'`], {
        env: { PATH: process.env.PATH, KEY: key },
      });
      expect([command, stdout]).toEqual([command, expect.stringMatching(/^2\d\d$/)]);
    }
  });

  it('shows a chart as the API draws it now', async () => {
    const [, file] = /!\[[^\]]*\]\((docs\/[^)]+\.svg)\)/.exec(DOCUMENTS[0].text)!;
    const url = /This chart is\s+`([^`]+)`/.exec(DOCUMENTS[0].text)![1];
    const drawn = await fetch(`${t.http}${url}`).then((response) => response.text());
    // Regenerate with: curl -s 'http://localhost:3000<the URL>' > docs/<file>
    expect(drawn).toBe(readFileSync(path.join(projectRoot, file), 'utf8'));
  });

  it('shows a sample observation the service serves as shown', async () => {
    const sample = sampleObservation();
    const { body } = await request(t.http)
      .get(`/v1/observations/${String(sample.id)}`)
      .expect(200);
    expect(body).toMatchObject(stated(sample) as object);
  });

  it('says every /v1 read takes lang, and it does', async () => {
    expect(DOCUMENTS[0].text).toContain('Every `/v1` read accepts `lang`');
    const without = Object.entries(documented as Record<string, { get?: { parameters?: { name: string }[] } }>)
      .filter(([url, methods]) => url.startsWith('/v1/') && methods.get && !methods.get.parameters?.some((p) => p.name === 'lang'))
      .map(([url]) => url);
    expect(without).toEqual([]);
  });
});
