import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assertTopic, matchTopic, normalizePattern, toAmqpBinding, toRedisGlob, topicNaming, DEFAULT_TOPIC_TEMPLATE, SEED_TOPIC_TEMPLATE } from './topics.ts';

test('topic naming: default, seed-style and unknown placeholders', () => {
  assert.equal(topicNaming()({ tenant: 'ten_1', type: 'webhook.received' }), 'switchyard.ten_1.webhook.received');
  assert.equal(topicNaming(DEFAULT_TOPIC_TEMPLATE)({ tenant: 't', type: 'a' }), 'switchyard.t.a');
  assert.equal(topicNaming(SEED_TOPIC_TEMPLATE)({ tenant: 'ten_1', type: 'request.created' }), 'integration.request.created');
  assert.throws(() => topicNaming('x.{tenantId}'), /unknown placeholder/);
  assert.throws(() => topicNaming()({ tenant: 'a*', type: 'x' }), /invalid topic/);
});

test('patterns: * is one segment, > (or #) one or more trailing segments', () => {
  assert.equal(matchTopic('a.*.c', 'a.b.c'), true);
  assert.equal(matchTopic('a.*.c', 'a.b.x.c'), false);
  assert.equal(matchTopic('a.>', 'a.b.c'), true);
  assert.equal(matchTopic('a.#', 'a.b'), true);
  assert.equal(matchTopic('a.>', 'a'), false);
  assert.equal(matchTopic('a.b', 'a.b'), true);
  assert.equal(matchTopic('a-b.*', 'a-b.c'), true);
  assert.equal(normalizePattern('x.#'), 'x.>');
  assert.throws(() => normalizePattern('a.>.b'), /last segment/);
  assert.throws(() => normalizePattern('a..b'), /segment/);
  assert.throws(() => assertTopic('a.*'), /invalid topic/);
});

test('broker translations', () => {
  assert.equal(toAmqpBinding('a.*.>'), 'a.*.#');
  assert.equal(toRedisGlob('a.*.>'), 'a.*.*');
});

const segment = fc.stringMatching(/^[a-z0-9_-]{1,6}$/);
test('property: a topic matches itself, its * and > generalisations, and the Redis glob is a superset', () => {
  fc.assert(fc.property(fc.array(segment, { minLength: 2, maxLength: 6 }), fc.nat(), (segs, i) => {
    const topic = segs.join('.');
    const star = segs.map((s, j) => (j === i % segs.length ? '*' : s)).join('.');
    const tail = `${segs[0]}.>`;
    const glob = new RegExp(`^${toRedisGlob(star).replace(/[.-]/g, '\\$&').replace(/\*/g, '.*')}$`);
    return matchTopic(topic, topic) && matchTopic(star, topic) && matchTopic(tail, topic) && glob.test(topic) && !matchTopic(`${topic}.*`, topic);
  }));
});
