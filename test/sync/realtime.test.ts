import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startReceiver, type Receiver } from '../../sandbox/core/test-receiver.ts';
import { monday as mondayScheme } from '../../src/webhooks/schemes/verify-monday.ts';
import { hubspot as hubspotScheme } from '../../src/webhooks/schemes/verify-hubspot.ts';
import type { WebhookHandler } from '../../src/webhooks/router.ts';
import { Scheduler } from '../../src/sync/scheduler.ts';
import { syncTriggerHandler } from '../../src/sync/webhook-trigger.ts';
import { waitFor } from '../helpers/wait.ts';
import { clearLogs, contact, control, edit, finished, leadsScenario, mondayItem, runSync, silent, startBench, writeCounts, type Bench } from './harness.ts';

/**
 * Real time and schedules. Deliveries come from the fakes, signed in each
 * provider's scheme, to a loopback receiver; each is verified with the hub's
 * own scheme verifier and handed to the sync trigger handler, as the webhook
 * router does after ingest.
 */
describe('sync triggers (sqlite)', () => {
  let b: Bench;
  let receiver: Receiver;
  before(async () => {
    b = await startBench('sqlite');
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver?.close();
    await b?.close();
  });

  let handled = 0;
  /** Waits for a delivery to `path` that has not been handled yet. */
  const arrived = (path: string) => waitFor(() => receiver.received.slice(handled).some((r) => r.url.startsWith(path)), 10_000);
  /** Verifies every delivery not yet handled and runs the handler on it; returns the runs it queued. */
  async function deliver(handler: WebhookHandler): Promise<string[]> {
    const before = await b.store.forTenant(b.tenantId).jobs.list({ limit: 500 });
    for (const d of receiver.received.slice(handled)) {
      handled++;
      const headers = Object.fromEntries(Object.entries(d.headers).map(([k, v]) => [k, String(v)]));
      const req = { rawBody: Buffer.from(d.body), headers, method: 'POST', url: `${receiver.origin}${d.url}` };
      const provider = d.url.startsWith('/monday') ? 'monday' : 'hubspot';
      const verified = provider === 'monday'
        ? await mondayScheme.verify(req, { secrets: ['monday-signing'], options: {}, now: Date.now() })
        : await hubspotScheme.verify(req, { secrets: [b.hubspot.credentials.clientSecret!], options: {}, now: Date.now() });
      assert.deepEqual(verified, { ok: true }, `${provider} delivery verifies`);
      await handler({
        id: `evt_${provider}_${handled}`, tenantId: b.tenantId, sourceId: `src_${provider}`, provider, type: provider === 'monday' ? 'change_column_value' : 'contact.propertyChange',
        receivedAt: Date.now(), headers, body: JSON.parse(d.body), rawBody: req.rawBody, attempt: 1,
      }, new AbortController().signal);
    }
    const known = new Set(before.items.map((j) => j.id));
    const runs = (await b.store.forTenant(b.tenantId).jobs.list({ limit: 500 })).items.filter((j) => !known.has(j.id) && j.kind === 'sync.run');
    return runs.map((j) => (JSON.parse(j.payload) as { runId: string }).runId);
  }

  test('a verified webhook runs just the changed record; our own write comes back as a webhook and is dropped', async () => {
    const s = await leadsScenario(b, 10, { direction: 'bidirectional', conflictPolicy: 'field_merge', triggers: ['manual', 'webhook'], key: { matchField: 'email', sourceMatchField: 'email' } });
    await runSync(b, s.syncId, 'full');
    await control(b.monday, 'POST', '/_sandbox/webhooks/subscriptions', { url: `${receiver.origin}/monday`, events: [], secret: 'monday-signing' });
    await control(b.hubspot, 'POST', '/_sandbox/webhooks/subscriptions', { url: `${receiver.origin}/hubspot`, events: [] });
    handled = receiver.received.length;
    const handler = syncTriggerHandler({ store: b.store, registry: b.registry, runner: b.runner, log: silent });
    const [l] = await b.store.forTenant(b.tenantId).recordLinks.list(s.syncId);
    await clearLogs(b);

    await edit.monday(b, l!.sourceId, { column_values: { company: 'Realtime Ltd' } });
    await arrived('/monday');
    const [run] = await deliver(handler);
    assert.ok(run, 'the Monday delivery queued a run');
    const done = await finished(b, run);
    assert.equal(done.mode, 'records');
    assert.equal(done.progress.updated, 1);
    assert.equal(contact(b, l!.targetId).company, 'Realtime Ltd');

    // Our batch update at HubSpot fires HubSpot's own webhook (changeSource API): it must not bounce back to Monday.
    await arrived('/hubspot');
    const echoes = await deliver(handler);
    assert.ok(echoes.length >= 1, 'the echo delivery queued a run');
    for (const id of echoes) assert.equal((await finished(b, id)).progress.updated, 0);
    assert.deepEqual(await writeCounts(b), { monday: 0, hubspot: 1 });

    // The same delivery handled twice (a retried job) queues nothing new.
    handled--;
    assert.deepEqual(await deliver(handler), []);

    await edit.hubspot(b, l!.targetId, { company: 'Back To Monday' });
    await arrived('/hubspot');
    for (const id of await deliver(handler)) await finished(b, id);
    assert.equal(mondayItem(b, l!.sourceId).values.get('company'), 'Back To Monday');
  });

  test('two schedulers fire each cron tick exactly once', async () => {
    const s = await leadsScenario(b, 3, { triggers: ['schedule'], schedule: '* * * * *' });
    let clock = Date.parse('2030-01-01T10:00:30Z');
    const now = () => clock;
    const a = new Scheduler({ store: b.store, runner: b.runner, log: silent, now });
    const c = new Scheduler({ store: b.store, runner: b.runner, log: silent, now });
    a.start();
    c.start();
    await Promise.all([a.stop(), c.stop()]);
    clock += 20_000;
    assert.deepEqual([await a.tick(), await c.tick()], [0, 0], 'no minute boundary passed');
    clock += 60_000;
    const fired = [await a.tick(), await c.tick()];
    assert.equal(fired[0]! + fired[1]!, 1, 'the 10:01 tick fired once in total');
    const runs = await b.store.forTenant(b.tenantId).syncRuns.list(s.syncId);
    assert.equal(runs.items.length, 1);
    assert.equal(runs.items[0]!.trigger, 'schedule');
    assert.equal((await finished(b, runs.items[0]!.id)).status, 'completed');
  });
});
