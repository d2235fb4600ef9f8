import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { TcpProxy } from '../helpers/tcp-proxy.ts';
import { waitFor } from '../helpers/wait.ts';
import { openDatabase, type DatabaseHandle } from '../../src/store/dialect.ts';
import { createStore, type Store } from '../../src/store/store.ts';
import { migrateUp } from '../../src/store/migrate.ts';
import { createTenant } from '../../src/tenancy/tenants.ts';
import { emit } from '../../src/events/outbox.ts';
import { Relay } from '../../src/events/relay.ts';
import { NatsBus } from '../../src/events/bus/nats.ts';
import { topicNaming } from '../../src/events/bus/topics.ts';

/**
 * A broker outage: the relay reaches NATS through a proxy we cut. Events
 * accumulate in the outbox while it is down; when it comes back every one is
 * delivered to a consumer on the real broker, none lost.
 */
const run = `sy${randomBytes(4).toString('hex')}`;
let tdb: TestDatabase;
let handle: DatabaseHandle;
let store: Store;
const proxy = new TcpProxy({ host: '127.0.0.1', port: 4222 });
let relayBus: NatsBus;
let consumerBus: NatsBus;

before(async () => {
  tdb = await createTestDatabase('postgres', 'outage');
  handle = openDatabase(tdb.url, { poolMax: 4 });
  store = createStore(handle);
  await migrateUp(handle.db);
  await proxy.start();
  relayBus = await NatsBus.connect({ servers: [`127.0.0.1:${proxy.port}`] });
  consumerBus = await NatsBus.connect({ servers: ['127.0.0.1:4222'] });
});
after(async () => {
  await consumerBus?.deleteStream(`${run}.x`).catch(() => undefined);
  await consumerBus?.close();
  await relayBus?.close().catch(() => undefined);
  await proxy.stop();
  await handle?.close();
  await tdb?.drop();
});

test('events written while the broker is unreachable are all delivered after it returns', async () => {
  const tenantId = (await createTenant(store, 'outage', { id: 'test' })).id;
  const relay = new Relay(store, relayBus, topicNaming(`${run}.{tenant}.{type}`), pino({ level: 'silent' }), {
    id: 'outage-relay', batch: 100, leaseMs: 5_000, pollMs: 20, retryBaseMs: 50, retryMaxMs: 400, source: '/test',
  });
  const seen = new Map<string, number>();
  await consumerBus.subscribe(`${run}.>`, 'outage-consumer', (event) => {
    seen.set(event.id, (seen.get(event.id) ?? 0) + 1);
  });
  relay.start();
  try {
    for (let i = 0; i < 20; i++) await emit(store, { tenantId, type: 'webhook.received', data: { i }, dedupKey: `before-${i}` });
    await waitFor(() => seen.size === 20, 30_000);

    await proxy.stop();
    const TOTAL_DOWN = 150;
    for (let i = 0; i < TOTAL_DOWN; i++) await emit(store, { tenantId, type: 'webhook.received', data: { i }, dedupKey: `during-${i}` });
    // Let the relay try and fail against the dead broker for a while.
    await waitFor(async () => Number((await handle.db.selectFrom('outbox').select((eb) => eb.fn.max<number>('attempts').as('a')).where('published_at', 'is', null).executeTakeFirst())?.a ?? 0) >= 2, 30_000, 50);
    const backlog = await store.outbox.backlog(Date.now());
    assert.ok(backlog.unpublished >= TOTAL_DOWN - 1, `events accumulate while the broker is down (${backlog.unpublished})`);

    await proxy.start(proxy.port);
    await waitFor(async () => (await store.outbox.backlog(Date.now())).unpublished === 0, 60_000, 100);
    await waitFor(() => seen.size === 20 + TOTAL_DOWN, 30_000);
  } finally {
    await relay.stop();
  }
  const ids = (await handle.db.selectFrom('outbox').select('id').execute()).map((r) => r.id);
  assert.equal(ids.length, 20 + 150);
  for (const id of ids) assert.ok(seen.has(id), `event ${id} was delivered`);
});
