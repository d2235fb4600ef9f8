import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Redactor } from '../observability/redact.ts';
import { VaultError, type VaultFailure } from './errors.ts';
import { redactableValues } from './redaction.ts';
import { KEY_A, KEY_B, flipBit, ring } from './test-kit.ts';
import { Vault } from './vault.ts';

const CONTEXT = 'connection:conn_123:credentials';
const refused = (reason: VaultFailure, message?: RegExp) => (err: unknown) => {
  assert.ok(err instanceof VaultError, `expected VaultError, got ${String(err)}`);
  assert.equal(err.reason, reason);
  if (message) assert.match(err.message, message);
  return true;
};

describe('Vault seal/open', () => {
  it('round-trips any string, including empty and non-ASCII (fast-check)', () => {
    const vault = new Vault(ring(KEY_A));
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ minLength: 1, maxLength: 60 }), (plaintext, context) => {
      assert.equal(vault.open(vault.seal(plaintext, context), context), plaintext);
    }), { numRuns: 300 });
  });

  it('writes the compact versioned form and never the plaintext', () => {
    const vault = new Vault(ring(KEY_A));
    const secret = '{"access_token":"at-0123456789abcdef"}';
    const sealed = vault.seal(secret, CONTEXT);
    assert.match(sealed, /^v1\.kA\.[A-Za-z0-9_-]{80}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    assert.ok(!sealed.includes('at-0123456789abcdef'));
    assert.ok(!Buffer.from(sealed.split('.')[4]!, 'base64url').toString('latin1').includes('at-0123'));
  });

  it('draws a fresh data key and IV for every seal', () => {
    const vault = new Vault(ring(KEY_A));
    const a = vault.seal('same', CONTEXT).split('.');
    const b = vault.seal('same', CONTEXT).split('.');
    assert.notEqual(a[2], b[2]);
    assert.notEqual(a[3], b[3]);
    assert.notEqual(a[4], b[4]);
  });

  it('refuses the value under another context, so it cannot be swapped into another row', () => {
    const vault = new Vault(ring(KEY_A));
    const sealed = vault.seal('refresh-token-1', 'connection:conn_1:credentials');
    assert.throws(() => vault.open(sealed, 'connection:conn_2:credentials'), refused('authentication', /^sealed value failed authentication/));
    assert.throws(() => new Vault(ring(KEY_B, KEY_A)).rewrap(sealed, 'connection:conn_2:credentials'), refused('authentication'));
    assert.throws(() => vault.seal('x', ''), refused('bad_context'));
  });

  it('refuses a bit flip in the wrapped key, the iv or the ciphertext (fast-check), never returning garbage', () => {
    const vault = new Vault(ring(KEY_A));
    const sealed = vault.seal('super secret token value', CONTEXT);
    fc.assert(fc.property(fc.constantFrom(2 as const, 3 as const, 4 as const), fc.nat(), (part, bit) => {
      assert.throws(() => vault.open(flipBit(sealed, part, bit), CONTEXT), refused('authentication', /^sealed value failed authentication/));
    }), { numRuns: 400 });
  });

  it('refuses any single character change anywhere in the sealed string (fast-check)', () => {
    const vault = new Vault(ring(KEY_A, KEY_B));
    const sealed = vault.seal('tok_live_abcdefghijklmnop', CONTEXT);
    const chars = fc.oneof(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ '), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
    fc.assert(fc.property(fc.nat({ max: sealed.length - 1 }), chars, (index, ch) => {
      fc.pre(sealed[index] !== ch);
      const tampered = sealed.slice(0, index) + ch + sealed.slice(index + 1);
      assert.throws(() => vault.open(tampered, CONTEXT), (err: unknown) => err instanceof VaultError && ['authentication', 'malformed', 'unknown_kid'].includes(err.reason));
    }), { numRuns: 2000 });
  });

  it('refuses every single-character substitution from the base64url alphabet, at every position (exhaustive)', () => {
    const vault = new Vault(ring(KEY_A, KEY_B));
    // 25 + 16 bytes leave unused bits in the last character: only strict parsing catches a change there.
    const sealed = vault.seal('tok_live_abcdefghijklmnop', CONTEXT);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    let tried = 0;
    for (let index = 0; index < sealed.length; index++) {
      for (const ch of alphabet) {
        if (sealed[index] === ch) continue;
        const tampered = sealed.slice(0, index) + ch + sealed.slice(index + 1);
        assert.throws(() => vault.open(tampered, CONTEXT), VaultError, `change at ${index} to ${ch} was accepted`);
        tried++;
      }
    }
    assert.ok(tried > 10_000);
  });

  it('refuses a value relabelled with another kid of the ring, and names a kid that is not in it', () => {
    const vault = new Vault(ring(KEY_A, KEY_B));
    const sealed = vault.seal('value', CONTEXT);
    assert.throws(() => vault.open(sealed.replace('v1.kA.', 'v1.kB.'), CONTEXT), refused('authentication', /kid kB/));
    assert.throws(() => vault.open(sealed.replace('v1.kA.', 'v1.kC.'), CONTEXT), (err: unknown) => err instanceof VaultError && String(err) === 'VaultError: master key kC is not in the key ring');
  });

  it('names the kid when the key for it is missing or wrong', () => {
    const sealed = new Vault(ring(KEY_B, KEY_A)).seal('value', CONTEXT);
    const withoutB = new Vault(ring(KEY_A));
    assert.throws(() => withoutB.open(sealed, CONTEXT), (err: unknown) => err instanceof VaultError && err.reason === 'unknown_kid' && err.kid === 'kB' && err.message === 'master key kB is not in the key ring');
    const wrongB = new Vault(ring({ kid: 'kB', key: Buffer.alloc(32, 0x77) }));
    assert.throws(() => wrongB.open(sealed, CONTEXT), refused('authentication', /kid kB/));
  });

  it('refuses other versions and shapes as malformed', () => {
    const vault = new Vault(ring(KEY_A));
    const sealed = vault.seal('value', CONTEXT);
    assert.throws(() => vault.open(`v2${sealed.slice(2)}`, CONTEXT), refused('malformed', /unsupported version/));
    assert.throws(() => vault.open('plain text token', CONTEXT), refused('malformed'));
    assert.throws(() => vault.open(`${sealed}.x`, CONTEXT), refused('malformed', /5 dot-separated parts/));
    const parts = sealed.split('.');
    parts[3] = Buffer.alloc(8).toString('base64url');
    assert.throws(() => vault.open(parts.join('.'), CONTEXT), refused('malformed', /iv must be 12 bytes/));
  });
});

describe('Vault rewrap', () => {
  it('moves a value to the primary key without touching its ciphertext, and does nothing the second time', () => {
    const old = new Vault(ring(KEY_A));
    const sealed = old.seal('rt-rotating-1', CONTEXT);
    const rotated = new Vault(ring(KEY_B, KEY_A));
    assert.equal(rotated.needsRewrap(sealed), true);
    assert.equal(rotated.open(sealed, CONTEXT), 'rt-rotating-1', 'old values open until re-wrapped');
    const rewrapped = rotated.rewrap(sealed, CONTEXT);
    assert.equal(rotated.kidOf(rewrapped), 'kB');
    assert.deepEqual(rewrapped.split('.').slice(3), sealed.split('.').slice(3));
    assert.equal(rotated.needsRewrap(rewrapped), false);
    assert.equal(rotated.rewrap(rewrapped, CONTEXT), rewrapped);
    assert.equal(new Vault(ring(KEY_B)).open(rewrapped, CONTEXT), 'rt-rotating-1', 'the old key is no longer needed');
  });
});

describe('Vault plaintext hook', () => {
  it('hands every sealed and opened plaintext to the listeners, until unregistered', () => {
    const vault = new Vault(ring(KEY_A));
    const seen: string[] = [];
    const off = vault.onPlaintext((p) => seen.push(p));
    const sealed = vault.seal('first-secret', CONTEXT);
    vault.open(sealed, CONTEXT);
    vault.rewrap(sealed, CONTEXT);
    off();
    vault.seal('second-secret', CONTEXT);
    assert.deepEqual(seen, ['first-secret', 'first-secret']);
  });

  it('feeds the logger redactor so a token opened from the vault is masked in logs', () => {
    const vault = new Vault(ring(KEY_A));
    const redactor = new Redactor();
    vault.onPlaintext((p) => redactableValues(p).forEach((v) => redactor.add(v)));
    const creds = JSON.stringify({ access_token: 'ya29.a0AfH6SMBx-access', refresh_token: '1//0gRefresh-token-value', token_type: 'Bearer' });
    vault.open(vault.seal(creds, CONTEXT), CONTEXT);
    assert.equal(redactor.string('calling with ya29.a0AfH6SMBx-access now'), 'calling with [redacted] now');
    assert.equal(redactor.string('token_type Bearer stays readable'), 'token_type Bearer stays readable');
  });

  it('lists the plaintext and its long JSON strings for redaction', () => {
    assert.deepEqual(redactableValues('plain-secret-value'), ['plain-secret-value']);
    assert.deepEqual(redactableValues('{"a":"short","b":["nested-long-secret"],"c":{"d":"another-long-one"}}').slice(1), ['nested-long-secret', 'another-long-one']);
    assert.deepEqual(redactableValues('{not json'), ['{not json']);
  });
});
