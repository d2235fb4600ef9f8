import { ProviderError } from '../errors.ts';
import type { ProviderProfile } from '../profile.ts';
import type { ProviderRequest, ProviderResponse } from '../types.ts';
import { paginationSchema, type PaginationInput } from './presets.ts';
import { firstRequest, nextRequest, pageItems } from './steps.ts';

export interface PageOptions {
  /** Overrides the profile's preset for this list. */
  pagination?: PaginationInput;
  /** Page size, sent in the preset's limit parameter. */
  limit?: number;
  /** Stop after this many pages. */
  maxPages?: number;
  /** Monday: the item selection for `next_items_page` queries, e.g. `id name column_values { id text }`. */
  itemFields?: string;
}

export interface Page<T> {
  items: T[];
  /** 0 for the first page. */
  index: number;
  /** The parsed page, for fields beyond the items (totals, deleted ids…). */
  body: unknown;
}

/** What pagination needs of the client; kept narrow so the two files do not import each other. */
export interface PagingClient {
  readonly profile: ProviderProfile;
  request(req: ProviderRequest): Promise<ProviderResponse>;
  assertOk(req: ProviderRequest, res: ProviderResponse): void;
}

/**
 * Walks a list page by page. Paging only reads, so POST pages (searches,
 * GraphQL queries) are marked idempotent and retried like GETs.
 */
export async function* paginate<T>(client: PagingClient, req: ProviderRequest, options: PageOptions = {}): AsyncGenerator<Page<T>> {
  const preset = options.pagination ? paginationSchema.parse(options.pagination) : client.profile.pagination;
  if (!preset) throw new Error(`${client.profile.provider}: the profile has no pagination preset and none was given`);
  let current: ProviderRequest | null = { ...firstRequest(preset, req, options.limit), idempotent: req.idempotent ?? true };
  for (let index = 0; current; index += 1) {
    const res = await client.request(current);
    client.assertOk(current, res);
    const body = res.json();
    const graphQlErrors = (body as { errors?: unknown } | undefined)?.errors;
    if (preset.preset === 'monday-items-page' && Array.isArray(graphQlErrors) && graphQlErrors.length > 0) {
      throw new ProviderError('provider_http_error', client.profile.provider, `${client.profile.provider}: GraphQL errors on page ${index}`, { status: res.status, response: res });
    }
    const items = pageItems(preset, body, index === 0);
    yield { items: items as T[], index, body };
    if (options.maxPages !== undefined && index + 1 >= options.maxPages) return;
    current = nextRequest(preset, {
      req: current, headers: res.headers, body, items, baseUrl: client.profile.baseUrl, limit: options.limit, itemFields: options.itemFields,
    }, index === 0);
  }
}
