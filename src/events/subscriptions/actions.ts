import { z } from 'zod';

/** What a subscription does with each matching event. */
export const actionSchema = z.discriminatedUnion('kind', [
  /** POST the CloudEvent to a URL, signed with Standard Webhooks headers under the subscription's secret. */
  z.object({
    kind: z.literal('webhook'),
    url: z.url().refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL'),
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/), z.string().max(1000)).default({}),
    timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
  }).strict(),
  /** Map the event's data with a mapping spec and upsert it through a connector model. */
  z.object({
    kind: z.literal('connector'),
    connectionId: z.string().min(1),
    model: z.string().min(1),
    params: z.record(z.string(), z.unknown()).default({}),
    /** A mapping spec (src/transform), applied to the event's `data`. */
    mapping: z.record(z.string(), z.unknown()),
  }).strict(),
  /** Run a sync (incremental) when the event arrives. */
  z.object({
    kind: z.literal('sync'),
    syncId: z.string().min(1),
  }).strict(),
]);

export type SubscriptionAction = z.infer<typeof actionSchema>;
