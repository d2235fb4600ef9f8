import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { VaultError } from './errors.ts';
import { formatKeyRing } from './key-ring.ts';
import { loadOrCreateLocalKeyRing } from './local-key.ts';
import { KEY_A } from './test-kit.ts';
import { Vault } from './vault.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vault-'));
  dirs.push(dir);
  return dir;
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('loadOrCreateLocalKeyRing', () => {
  it('generates master.key with mode 0600 on first start, even under a permissive umask, and says so', async () => {
    const dataDir = path.join(await tempDir(), 'data');
    const previous = process.umask(0);
    let first;
    try {
      first = await loadOrCreateLocalKeyRing(dataDir);
    } finally {
      process.umask(previous);
    }
    assert.equal(first.generated, true);
    assert.equal(first.path, path.join(dataDir, 'master.key'));
    assert.equal((await stat(first.path)).mode & 0o777, 0o600);
    assert.equal((await stat(dataDir)).mode & 0o777, 0o700);
    assert.deepEqual(await readdir(dataDir), ['master.key'], 'no temporary file is left behind');
    assert.match(await readFile(first.path, 'utf8'), new RegExp(`^${first.ring.primaryKid}:[A-Za-z0-9+/]{43}=$`, 'm'));
  });

  it('reads the same key on the next start, so values sealed before still open', async () => {
    const dataDir = await tempDir();
    const first = await loadOrCreateLocalKeyRing(dataDir);
    const sealed = new Vault(first.ring).seal('survives a restart', 'ctx');
    const second = await loadOrCreateLocalKeyRing(dataDir);
    assert.equal(second.generated, false);
    assert.equal(second.ring.primaryKid, first.ring.primaryKid);
    assert.equal(new Vault(second.ring).open(sealed, 'ctx'), 'survives a restart');
  });

  it('gives every concurrent first start the same key', async () => {
    const dataDir = await tempDir();
    const results = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateLocalKeyRing(dataDir)));
    assert.equal(new Set(results.map((r) => r.ring.primaryKid)).size, 1);
    assert.equal(results.filter((r) => r.generated).length, 1);
    assert.deepEqual(await readdir(dataDir), ['master.key']);
  });

  it('flags a key file readable by others, and names the file when it is broken', async () => {
    const dataDir = await tempDir();
    const file = path.join(dataDir, 'master.key');
    await writeFile(file, `${formatKeyRing([KEY_A])}\n`);
    await chmod(file, 0o644);
    const loose = await loadOrCreateLocalKeyRing(dataDir);
    assert.equal(loose.permissionsTooOpen, true);
    assert.equal(loose.ring.primaryKid, 'kA');
    await writeFile(file, 'kA:short\n');
    await assert.rejects(loadOrCreateLocalKeyRing(dataDir), (err: unknown) => err instanceof VaultError && err.message.startsWith(`${file}: master key kA`));
  });
});
