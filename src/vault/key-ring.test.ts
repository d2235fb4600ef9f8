import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { VaultError } from './errors.ts';
import { KeyRing, formatKeyRing, generateMasterKey, parseKeyRing } from './key-ring.ts';
import { KEY_A, KEY_B } from './test-kit.ts';

const b64 = (fill: number) => Buffer.alloc(32, fill).toString('base64');

describe('parseKeyRing', () => {
  it('reads kid:base64key entries, the first being primary', () => {
    const ring = parseKeyRing(`kid2:${b64(2)},kid1:${b64(1)}`);
    assert.equal(ring.primaryKid, 'kid2');
    assert.deepEqual(ring.kids, ['kid2', 'kid1']);
    assert.deepEqual(ring.keyFor('kid1'), Buffer.alloc(32, 1));
  });

  it('accepts newlines, comments, spaces and URL-safe base64, so a file and an env value share one format', () => {
    const key = Buffer.alloc(32, 0xfb);
    const ring = parseKeyRing(`# primary first, then older\n  new : ${key.toString('base64url')}\n\nold:${b64(3)}  # retiring\n`);
    assert.deepEqual(ring.kids, ['new', 'old']);
    assert.deepEqual(ring.keyFor('new'), key);
  });

  it('round-trips through formatKeyRing', () => {
    const text = formatKeyRing([KEY_A, KEY_B]);
    const ring = parseKeyRing(text);
    assert.deepEqual(ring.kids, ['kA', 'kB']);
    assert.deepEqual(ring.keyFor('kB'), KEY_B.key);
  });

  it('names the kid of a key that is not 32 bytes, without echoing the key', () => {
    const short = Buffer.alloc(16, 9).toString('base64');
    assert.throws(() => parseKeyRing(`good:${b64(1)},short:${short}`), (err: unknown) =>
      err instanceof VaultError && err.reason === 'bad_key_ring' && err.message === 'master key short must be 32 bytes, got 16' && !err.message.includes(short));
  });

  it('refuses entries without a kid, bad base64, bad kids, duplicates and an empty ring', () => {
    assert.throws(() => parseKeyRing(b64(1)), /key ring entry 1 must look like kid:base64key/);
    assert.throws(() => parseKeyRing('k1:not*base64!'), /master key k1 is not base64/);
    assert.throws(() => parseKeyRing(`k.1:${b64(1)}`), /key id "k.1" must be 1-64 characters/);
    assert.throws(() => parseKeyRing(`k1:${b64(1)},k1:${b64(2)}`), /master key k1 appears twice/);
    assert.throws(() => parseKeyRing(' \n# nothing\n'), /the key ring is empty/);
  });

  it('refuses a key whose base64 has stray bits, so one key has exactly one spelling', () => {
    const text = b64(1);
    const last = text.at(-2)!;
    const other = last === 'E' ? 'F' : 'E';
    assert.throws(() => parseKeyRing(`k1:${text.slice(0, -2)}${other}=`), /master key k1 is not canonical base64|must be 32 bytes/);
  });
});

describe('KeyRing', () => {
  it('never shows key bytes in inspect or JSON', () => {
    const ring = new KeyRing([KEY_A, KEY_B]);
    const shown = `${inspect(ring, { showHidden: true, depth: 5 })} ${JSON.stringify(ring)}`;
    assert.match(shown, /primary: kA/);
    assert.ok(!shown.includes(KEY_A.key.toString('base64')));
    assert.ok(!shown.includes('a1a1'));
  });

  it('adds a new primary in front and drops a retired key', () => {
    const next = generateMasterKey('k2026');
    const ring = new KeyRing([KEY_A]).withPrimary(next);
    assert.deepEqual(ring.kids, ['k2026', 'kA']);
    assert.deepEqual(ring.without('kA').kids, ['k2026']);
    assert.throws(() => ring.without('kA').keyFor('kA'), /master key kA is not in the key ring/);
  });

  it('generates random 256-bit keys with distinct dated kids', () => {
    const a = generateMasterKey();
    const b = generateMasterKey();
    assert.equal(a.key.length, 32);
    assert.notDeepEqual(a.key, b.key);
    assert.notEqual(a.kid, b.kid);
    assert.match(a.kid, /^k\d{8}-[0-9a-f]{6}$/);
  });
});
