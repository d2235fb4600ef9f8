/**
 * Topic names and subscription patterns, in one syntax for every adapter.
 *
 * A topic is dot-separated segments of `[A-Za-z0-9_-]`. A pattern may use `*`
 * for exactly one segment and a final `>` for one or more trailing segments
 * (the NATS meaning). `#` is accepted as a spelling of `>` so AMQP habits
 * work, but it keeps the one-or-more meaning: `a.#` never matches `a` itself.
 * Each adapter translates the normalised form to its broker's syntax.
 */

const SEGMENT = /^[A-Za-z0-9_-]+$/;

export class TopicError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TopicError';
  }
}

export function assertTopic(topic: string): void {
  const segments = topic.split('.');
  for (const s of segments) {
    if (!SEGMENT.test(s)) throw new TopicError(`invalid topic "${topic}": segment "${s}" must match [A-Za-z0-9_-]+`);
  }
}

/** Returns the pattern in port syntax (`#` → `>`), or throws TopicError. */
export function normalizePattern(pattern: string): string {
  const segments = pattern.split('.').map((s) => (s === '#' ? '>' : s));
  segments.forEach((s, i) => {
    if (s === '>' && i !== segments.length - 1) throw new TopicError(`invalid pattern "${pattern}": ">" must be the last segment`);
    if (s !== '*' && s !== '>' && !SEGMENT.test(s)) throw new TopicError(`invalid pattern "${pattern}": segment "${s}"`);
  });
  return segments.join('.');
}

export function isPattern(pattern: string): boolean {
  return pattern.split('.').some((s) => s === '*' || s === '>' || s === '#');
}

export function patternToRegExp(pattern: string): RegExp {
  const body = normalizePattern(pattern)
    .split('.')
    .map((s) => (s === '*' ? '[^.]+' : s === '>' ? '[^.]+(?:\\.[^.]+)*' : s.replace(/-/g, '\\-')))
    .join('\\.');
  return new RegExp(`^${body}$`);
}

export function matchTopic(pattern: string, topic: string): boolean {
  if (!isPattern(pattern)) return pattern === topic;
  return patternToRegExp(pattern).test(topic);
}

/**
 * Redis PSUBSCRIBE glob. Redis `*` also crosses dots, so the glob is a
 * superset and the adapter filters exactly with matchTopic afterwards.
 */
export function toRedisGlob(pattern: string): string {
  return normalizePattern(pattern).split('.').map((s) => (s === '>' ? '*' : s)).join('.');
}

/** AMQP topic-exchange binding key: `>` becomes `#` (zero or more words, filtered exactly by the adapter). */
export function toAmqpBinding(pattern: string): string {
  return normalizePattern(pattern).split('.').map((s) => (s === '>' ? '#' : s)).join('.');
}

/** NATS subjects use the port syntax natively. */
export function toNatsSubject(pattern: string): string {
  return normalizePattern(pattern);
}

export interface TopicAttributes {
  tenant: string;
  type: string;
}

export type TopicNaming = (event: TopicAttributes) => string;

export const DEFAULT_TOPIC_TEMPLATE = 'switchyard.{tenant}.{type}';
/** Seed 002 named Redis channels after the event type alone. */
export const SEED_TOPIC_TEMPLATE = 'integration.{type}';

/** Builds a naming function from a template with `{tenant}` and `{type}` placeholders. */
export function topicNaming(template: string = DEFAULT_TOPIC_TEMPLATE): TopicNaming {
  const unknown = template.match(/\{(?!tenant\}|type\})[^}]*\}/);
  if (unknown) throw new TopicError(`unknown placeholder ${unknown[0]} in topic template "${template}"`);
  return (event) => {
    const topic = template.replaceAll('{tenant}', event.tenant).replaceAll('{type}', event.type);
    assertTopic(topic);
    return topic;
  };
}
