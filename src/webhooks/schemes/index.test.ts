import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { getScheme, schemes } from './index.ts';

const here = new URL('.', import.meta.url);

async function testSources(): Promise<Map<string, string>> {
  const files = (await readdir(here)).filter((f) => f.startsWith('verify-') && f.endsWith('.test.ts'));
  return new Map(await Promise.all(files.map(async (f) => [f, await readFile(new URL(f, here), 'utf8')] as const)));
}

describe('scheme registry', () => {
  it('lists each scheme under its own name', () => {
    assert.ok(schemes.size >= 15);
    for (const [name, scheme] of schemes) {
      assert.equal(scheme.name, name);
      assert.equal(getScheme(name), scheme);
      assert.ok(scheme.contentTypes.length > 0, `${name} declares content types`);
    }
    assert.equal(getScheme('no-such-scheme'), undefined);
  });

  it('has tests for every registered scheme name', async () => {
    const tested = new Set<string>();
    for (const source of (await testSources()).values()) {
      for (const match of source.matchAll(/getScheme\('([a-z0-9-]+)'\)/g)) tested.add(match[1]!);
    }
    const untested = [...schemes.keys()].filter((name) => !tested.has(name));
    assert.deepEqual(untested, []);
  });

  it('has a test file, with rotation and tamper tests, next to every verifier file', async () => {
    const sources = await testSources();
    const verifiers = (await readdir(here)).filter((f) => /^verify-[a-z0-9-]+\.ts$/.test(f));
    for (const file of verifiers) {
      const test = sources.get(file.replace(/\.ts$/, '.test.ts'));
      assert.ok(test, `${file} has a test file`);
      assert.match(test, /rotation/, `${file} tests secret rotation`);
      assert.match(test, /assertTamperRejected/, `${file} runs the tamper property`);
    }
  });
});
