import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Stripe from 'stripe';
import { startStripe } from './index.ts';
import { startReceiver } from '../core/test-receiver.ts';

/**
 * Conformance: the official `stripe` package against the fake with only
 * host/port/protocol changed. No SDK call is patched.
 */
// The sandbox budget (25/s) is tested in rate-limit.test.ts; here it would only slow the suite.
const fake = await startStripe({ seed: { generate: { customers: 45, updates: 10 } }, knobs: { rateLimit: 10_000 } });
const sdk = (key = fake.credentials.secretKey ?? '', extra: Partial<Stripe.StripeConfig> = {}) =>
  new Stripe(key, { host: '127.0.0.1', port: Number(fake.credentials.port), protocol: 'http', telemetry: false, ...extra });
const stripe = sdk();
const receiver = await startReceiver();
after(async () => {
  await fake.close();
  await receiver.close();
});

describe('Stripe SDK conformance', () => {
  test('events.list auto-pagination walks every event newest first', async () => {
    const ids: string[] = [];
    let lastCreated = Infinity;
    for await (const e of stripe.events.list({ limit: 7 })) {
      assert.equal(e.object, 'event');
      assert.ok(e.created <= lastCreated, 'newest first');
      lastCreated = e.created;
      ids.push(e.id);
    }
    assert.equal(ids.length, 55);
    assert.equal(new Set(ids).size, 55);
    const viaArray = await stripe.events.list({ limit: 100 }).autoPagingToArray({ limit: 1000 });
    assert.deepEqual(viaArray.map((e) => e.id), ids);
  });

  test('events.list: default page of 10, has_more, type filter and created[gt]', async () => {
    const page = await stripe.events.list();
    assert.equal(page.data.length, 10);
    assert.equal(page.has_more, true);
    assert.equal(page.url, '/v1/events');

    const updates = await stripe.events.list({ type: 'customer.updated', limit: 100 });
    assert.equal(updates.data.length, 10);
    assert.ok(updates.data.every((e) => e.type === 'customer.updated' && e.data.previous_attributes));
    const wildcard = await stripe.events.list({ type: 'customer.*', limit: 100 });
    assert.equal(wildcard.data.length, 55);

    const pivot = page.data[4];
    assert.ok(pivot);
    const newer = await stripe.events.list({ created: { gt: pivot.created }, limit: 100 });
    assert.ok(newer.data.length >= 4 && newer.data.every((e) => e.created > pivot.created));
  });

  test('ending_before walks back toward newer events', async () => {
    const first = await stripe.events.list({ limit: 5 });
    const second = await stripe.events.list({ limit: 5, starting_after: first.data[4]?.id });
    const back = await stripe.events.list({ limit: 5, ending_before: second.data[0]?.id });
    assert.deepEqual(back.data.map((e) => e.id), first.data.map((e) => e.id));
    assert.equal(back.has_more, false);
  });

  test('events.retrieve and a missing event as StripeInvalidRequestError resource_missing', async () => {
    const [e] = (await stripe.events.list({ limit: 1 })).data;
    assert.ok(e);
    assert.deepEqual(await stripe.events.retrieve(e.id), e);
    await assert.rejects(stripe.events.retrieve('evt_nope'), (err: unknown) => {
      assert.ok(err instanceof Stripe.errors.StripeInvalidRequestError);
      assert.equal(err.statusCode, 404);
      assert.equal(err.code, 'resource_missing');
      assert.equal(err.message, "No such event: 'evt_nope'");
      return true;
    });
  });

  test('customers create, retrieve, update, list by email and delete, each recording an event', async () => {
    const c = await stripe.customers.create({ name: 'Sdk Person', email: 'sdk@example.org', metadata: { plan: 'pro' } });
    assert.match(c.id, /^cus_/);
    assert.deepEqual(c.metadata, { plan: 'pro' });
    assert.equal((await stripe.customers.retrieve(c.id) as Stripe.Customer).email, 'sdk@example.org');

    const u = await stripe.customers.update(c.id, { name: 'Renamed', metadata: { plan: '', tier: 'gold' } });
    assert.equal(u.name, 'Renamed');
    assert.deepEqual(u.metadata, { tier: 'gold' });

    const listed = await stripe.customers.list({ email: 'sdk@example.org' });
    assert.deepEqual(listed.data.map((x) => x.id), [c.id]);

    const events = await stripe.events.list({ limit: 2 });
    assert.deepEqual(events.data.map((e) => e.type), ['customer.updated', 'customer.created']);
    const updated = events.data[0];
    assert.deepEqual(updated?.data.previous_attributes, { name: 'Sdk Person', metadata: { plan: 'pro' } });

    const deleted = await stripe.customers.del(c.id);
    assert.equal(deleted.deleted, true);
    assert.equal((await stripe.customers.retrieve(c.id)).deleted, true);
  });

  test('an unknown parameter is rejected by name', async () => {
    await assert.rejects(stripe.customers.create({ nickname: 'x' } as Stripe.CustomerCreateParams), (err: unknown) => {
      assert.ok(err instanceof Stripe.errors.StripeInvalidRequestError);
      assert.equal(err.param, 'nickname');
      assert.equal(err.code, 'parameter_unknown');
      return true;
    });
  });

  test('an idempotency key replays the first answer', async () => {
    const a = await stripe.customers.create({ email: 'idem@example.org' }, { idempotencyKey: 'key-1' });
    const b = await stripe.customers.create({ email: 'idem@example.org' }, { idempotencyKey: 'key-1' });
    assert.equal(a.id, b.id);
    assert.equal((await stripe.customers.list({ email: 'idem@example.org' })).data.length, 1);
  });

  test('a wrong key is StripeAuthenticationError', async () => {
    await assert.rejects(sdk('sk_test_wrongwrongwrong1234').events.list(), (err: unknown) => {
      assert.ok(err instanceof Stripe.errors.StripeAuthenticationError);
      assert.equal(err.statusCode, 401);
      assert.match(err.message, /^Invalid API Key provided: sk_test_\*+1234$/);
      return true;
    });
  });

  test('a 429 is StripeRateLimitError', async () => {
    fake.ctx.faults.burst429 = 1;
    await assert.rejects(sdk(undefined, { maxNetworkRetries: 0 }).events.list(), (err: unknown) => {
      assert.ok(err instanceof Stripe.errors.StripeRateLimitError);
      assert.equal(err.code, 'rate_limit');
      return true;
    });
  });

  test('webhookEndpoints.create; its deliveries pass webhooks.constructEvent', async () => {
    const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['customer.created'] });
    assert.match(endpoint.secret ?? '', /^whsec_/);
    const c = await stripe.customers.create({ email: 'hook@example.org' });
    const [d] = await receiver.waitFor(1);
    assert.ok(d);
    const event = stripe.webhooks.constructEvent(d.body, String(d.headers['stripe-signature']), endpoint.secret ?? '');
    assert.equal(event.type, 'customer.created');
    assert.equal((event.data.object as Stripe.Customer).id, c.id);
    assert.equal(event.pending_webhooks, 1);
    assert.throws(() => stripe.webhooks.constructEvent(d.body, String(d.headers['stripe-signature']), 'whsec_wrong'),
      Stripe.errors.StripeSignatureVerificationError);
    await stripe.webhookEndpoints.del(endpoint.id);
  });
});
