import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EVENT_TYPES } from './types.ts';

test('docs/events.md lists exactly the event types the hub emits, with their data fields', () => {
  const doc = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');
  const rows = [...doc.matchAll(/^\| `([a-z]+(?:\.[a-z_]+)+)` \| [^|]+ \| ([^|]+) \|$/gm)];
  const documented = new Map(rows.map((m) => [m[1]!, m[2]!]));
  assert.deepEqual([...documented.keys()].sort(), Object.keys(EVENT_TYPES).sort());
  for (const [type, spec] of Object.entries(EVENT_TYPES)) {
    for (const field of spec.data.required) assert.match(documented.get(type)!, new RegExp(`\`${field}\``), `${type} documents ${field}`);
  }
});
