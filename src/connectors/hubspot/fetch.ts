import type { ProviderRequest } from '../../http-client/index.ts';
import type { ConnectorContext } from '../types.ts';
import type { RawObject } from './normalise.ts';
import { BATCH_LIMIT, type HubSpotObject } from './object-types.ts';

/**
 * Reads full records by id through `batch/read`. Used when the property list
 * is too long to travel in a list URL or a search body (search refuses
 * bodies over 3,000 characters; real portals have hundreds of properties).
 */
export function withSignal(ctx: ConnectorContext, req: ProviderRequest): ProviderRequest {
  return ctx.signal ? { ...req, signal: ctx.signal } : req;
}

export async function readByIds(ctx: ConnectorContext, type: HubSpotObject, ids: string[], properties: string[]): Promise<RawObject[]> {
  const byId = new Map<string, RawObject>();
  for (let i = 0; i < ids.length; i += BATCH_LIMIT) {
    const inputs = ids.slice(i, i + BATCH_LIMIT).map((id) => ({ id }));
    const res = await ctx.client.request(withSignal(ctx, { method: 'POST', path: `/crm/v3/objects/${type}/batch/read`, body: { inputs, properties }, idempotent: true }));
    // 207 lists ids that vanished since the search saw them; those are simply skipped.
    if (res.status !== 207) ctx.client.assertOk({ method: 'POST', path: `/crm/v3/objects/${type}/batch/read` }, res);
    for (const r of res.json<{ results: RawObject[] }>().results) byId.set(String(r.id), r);
  }
  return ids.map((id) => byId.get(id)).filter((r): r is RawObject => r !== undefined);
}
