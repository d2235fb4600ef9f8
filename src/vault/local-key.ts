import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { VaultError } from './errors.ts';
import { formatKeyRing, generateMasterKey, parseKeyRing, type KeyRing } from './key-ring.ts';

export const LOCAL_KEY_FILE = 'master.key';

export interface LocalKeyRing {
  ring: KeyRing;
  /** True when this call created the file: the caller warns that production should provide keys. */
  generated: boolean;
  path: string;
  /** True when an existing file is readable by group or others. */
  permissionsTooOpen: boolean;
}

/**
 * The single-node default: a key ring kept in `<dataDir>/master.key` (mode
 * 0600), generated on first start. The file is written under a temporary
 * name and hard-linked into place, so a crash never leaves a half-written
 * key and two processes starting at once end up with the same key.
 */
export async function loadOrCreateLocalKeyRing(dataDir: string): Promise<LocalKeyRing> {
  const file = path.join(dataDir, LOCAL_KEY_FILE);
  const existing = await readExisting(file);
  if (existing) return existing;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const key = generateMasterKey();
  const text = `# Switchyard master key ring (kid:base64key, primary first). Generated for local use;\n# in production set the key ring from your secret store instead.\n${formatKeyRing([key])}\n`;
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await chmod(tmp, 0o600);
    await link(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Another process created it first; its key wins.
    const raced = await readExisting(file);
    if (raced) return raced;
    throw err;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  return { ring: parseKeyRing(text), generated: true, path: file, permissionsTooOpen: false };
}

async function readExisting(file: string): Promise<LocalKeyRing | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let ring: KeyRing;
  try {
    ring = parseKeyRing(text);
  } catch (err) {
    if (err instanceof VaultError) throw new VaultError(err.reason, `${file}: ${err.message}`, { kid: err.kid, cause: err });
    throw err;
  }
  const mode = (await stat(file)).mode & 0o777;
  return { ring, generated: false, path: file, permissionsTooOpen: (mode & 0o077) !== 0 };
}
