import type { FastifyInstance } from 'fastify';
import { sendError } from './errors.ts';
import { OBJECT_TYPES } from './object-types.ts';
import { renderRecord } from './render.ts';
import { checkSearchRequest, compareNullsLast, kindOf, matchesGroups, parseSort, SEARCH_LIMITS, sortValue, type FilterGroup } from './search.ts';
import { typeOrReply } from './objects-routes.ts';
import type { CrmRecord } from './store.ts';
import type { HubSpotContext } from './knobs.ts';

interface SearchBody {
  filterGroups?: unknown;
  sorts?: unknown[];
  properties?: string[];
  limit?: number;
  after?: string | number;
  query?: string;
}

/**
 * `POST /crm/v3/objects/{type}/search`: offset paging (`after` is the offset
 * as a string), 200 per page, nothing past 10,000, archived records never
 * shown, fresh writes hidden for `searchIndexDelayMs`.
 */
export function registerSearchRoutes(app: FastifyInstance, ctx: HubSpotContext): void {
  app.post('/crm/v3/objects/:objectType/search', async (req, reply) => {
    const type = typeOrReply((req.params as { objectType: string }).objectType, reply);
    if (!type) return reply;
    const body = (req.body ?? {}) as SearchBody;
    if (JSON.stringify(body).length > SEARCH_LIMITS.maxBodyChars) {
      return sendError(reply, 400, 'VALIDATION_ERROR', `Request body is too long; the maximum is ${SEARCH_LIMITS.maxBodyChars} characters.`);
    }
    const limit = body.limit === undefined ? 10 : Number(body.limit);
    const offset = body.after === undefined || body.after === '' ? 0 : Number(body.after);
    if (!Number.isInteger(offset) || offset < 0) return sendError(reply, 400, 'VALIDATION_ERROR', `after must be an integer offset, got ${String(body.after)}`);
    const groups = body.filterGroups ?? [];
    const problem = checkSearchRequest(groups, body.sorts, limit, offset);
    if (problem) return sendError(reply, 400, 'VALIDATION_ERROR', problem);

    const defs = ctx.state.properties[type];
    const visibleBefore = new Date(Date.now() - ctx.knobs.searchIndexDelayMs).toISOString();
    const query = body.query?.trim().toLowerCase();
    const fields = OBJECT_TYPES[type].queryProperties;
    const hits: CrmRecord[] = [];
    for (const id of ctx.state.order[type]) {
      const r = ctx.state.records[type].get(id);
      if (!r || r.archived || (ctx.knobs.searchIndexDelayMs > 0 && r.updatedAt > visibleBefore)) continue;
      if (!matchesGroups(r.properties, defs, groups as FilterGroup[])) continue;
      if (query && !fields.some((f) => r.properties[f]?.toLowerCase().includes(query))) continue;
      hits.push(r);
    }
    const sort = parseSort(body.sorts?.[0]);
    if (sort) {
      const kind = kindOf(defs.get(sort.propertyName));
      hits.sort((a, b) => compareNullsLast(sortValue(kind, a.properties[sort.propertyName]), sortValue(kind, b.properties[sort.propertyName]), sort.descending)
        || Number(a.id) - Number(b.id));
    }
    const reachable = Math.min(hits.length, SEARCH_LIMITS.maxResults);
    const page = hits.slice(offset, Math.min(offset + limit, reachable));
    const nextOffset = offset + page.length;
    const results = page.map((r) => renderRecord(type, r, body.properties && body.properties.length > 0 ? body.properties : undefined));
    return {
      total: hits.length,
      results,
      ...(nextOffset < reachable && page.length > 0 ? { paging: { next: { after: String(nextOffset) } } } : {}),
    };
  });
}
