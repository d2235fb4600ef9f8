import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';

/** The demo as a process: every step prints, edits arrive on the other side, the last run writes nothing, exit 0. */
test('switchyard demo tells the Monday <-> HubSpot story and exits 0', async () => {
  const child = spawn(process.execPath, [new URL('./run-demo.ts', import.meta.url).pathname, '6'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => void (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => void (err += c.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  assert.equal(code, 0, err);
  for (const step of ['== Initial full run', '== 1.', '== 2.', '== 3.', '== 4.', 'Done.']) assert.ok(out.includes(step), `prints ${step}`);
  assert.match(out, /created 6, updated 0/);
  assert.match(out, /HubSpot \d+: .*\| Initech Europe \|/, 'the Monday edit shows in HubSpot');
  assert.match(out, /Monday {2}\d+: .*\| \+14155550199 \| Lost \|/, 'the HubSpot edit shows in Monday');
  assert.match(out, /conflict\.created: policy field_merge, resolution merge; fields changed on both sides: properties\.company/);
  assert.match(out, /Monday {2}\d+: \S+ Changed \| .*\| \+12025550142 \| .*\| Monday Corp \|/, 'merged on Monday');
  assert.match(out, /HubSpot \d+: \S+ Changed \| .*\| \+12025550142 \| .*\| Monday Corp \|/, 'merged on HubSpot');
  assert.match(out, /writes: Monday 0, HubSpot 0/);
});
