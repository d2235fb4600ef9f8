import { ProviderError } from '../../http-client/index.ts';
import type { ConnectorContext } from '../types.ts';

/**
 * One GraphQL request to Monday's single endpoint. The endpoint is the
 * profile's base URL itself (`https://api.monday.com/v2`), so it is passed as
 * an absolute path. Monday answers application errors with HTTP 200 and an
 * `errors` array beside partial `data`; `gql` throws on any of them, `gqlPartial`
 * hands them back for callers that batch several operations (aliases) in one
 * request and report each on its own.
 */
export interface GraphQlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; status_code?: number; retry_in_seconds?: number; error_data?: Record<string, unknown> };
}

export interface GraphQlAnswer<T> {
  data: T | null;
  errors: GraphQlError[];
}

export class MondayError extends Error {
  readonly errors: GraphQlError[];
  readonly retryable: boolean;
  constructor(message: string, errors: GraphQlError[], retryable: boolean) {
    super(message);
    this.name = 'MondayError';
    this.errors = errors;
    this.retryable = retryable;
  }
}

/** Codes that mean "later", not "never": budgets, minute limits and Monday's own failures. */
const RETRYABLE_CODES = new Set(['COMPLEXITY_BUDGET_EXHAUSTED', 'ComplexityException', 'RATE_LIMIT_EXCEEDED', 'maxConcurrencyExceeded', 'INTERNAL_SERVER_ERROR', 'DAILY_LIMIT_EXCEEDED']);

export function isRetryable(e: GraphQlError): boolean {
  const code = e.extensions?.code ?? '';
  return RETRYABLE_CODES.has(code) || (e.extensions?.status_code ?? 0) >= 500 || e.extensions?.status_code === 429;
}

export function describeErrors(errors: GraphQlError[]): string {
  return errors.map((e) => `${e.extensions?.code ?? 'error'}: ${e.message}`).join('; ').slice(0, 500);
}

export interface GqlOptions {
  /** Reads and repeatable writes may be retried by the client on 5xx and timeouts. */
  idempotent: boolean;
  /** Estimated complexity points, spent on `costed` rate-limit rules. */
  cost: number;
}

export async function gqlPartial<T>(ctx: ConnectorContext, query: string, variables: Record<string, unknown>, opts: GqlOptions): Promise<GraphQlAnswer<T>> {
  const req = {
    method: 'POST', path: ctx.client.profile.baseUrl, body: { query, variables }, idempotent: opts.idempotent, cost: opts.cost,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
  const res = await ctx.client.request(req);
  let body: { data?: T | null; errors?: unknown } | undefined;
  try {
    body = res.json();
  } catch (_err) {
    body = undefined;
  }
  if (res.status < 200 || res.status >= 300) {
    const errors = Array.isArray(body?.errors) ? (body.errors as unknown[]).map(asError) : [];
    if (errors.length > 0) throw new MondayError(`monday: HTTP ${res.status}: ${describeErrors(errors)}`, errors, res.status === 429 || res.status >= 500);
    ctx.client.assertOk(req, res);
  }
  if (body === undefined) throw new ProviderError('provider_http_error', 'monday', 'monday: the answer is not JSON', { status: res.status, response: res });
  return { data: body.data ?? null, errors: Array.isArray(body.errors) ? body.errors.map(asError) : [] };
}

export async function gql<T>(ctx: ConnectorContext, query: string, variables: Record<string, unknown>, opts: GqlOptions): Promise<T> {
  const answer = await gqlPartial<T>(ctx, query, variables, opts);
  if (answer.errors.length > 0 || answer.data === null) {
    throw new MondayError(`monday: ${describeErrors(answer.errors) || 'no data'}`, answer.errors, answer.errors.some(isRetryable));
  }
  return answer.data;
}

/** Older API versions answer errors as bare strings. */
function asError(e: unknown): GraphQlError {
  return typeof e === 'string' ? { message: e } : (e as GraphQlError);
}

/**
 * Monday does not publish its complexity formula; it grows with nesting times
 * page size. This estimate (1 + items × fields per item) is what the request
 * spends on a costed limiter rule. Mutations cost about 10,000 each (Monday's
 * best-practice notes for create_item).
 */
export const MUTATION_COST = 10_000;
export function readCost(items: number, columns = 10): number {
  return 1 + items * (6 + columns * 4);
}
