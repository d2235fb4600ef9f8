import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { execute, GraphQLError, Kind, parse, validate, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { RateWindow } from '../core/rate-window.ts';
import { budgetOf, queryCost, resetInSeconds } from './complexity.ts';
import type { MondayCtx } from './knobs.ts';
import { mutationRoot, queryRoot, type RequestScope } from './resolvers.ts';
import { mondaySchema } from './schema.ts';
import { deliverChange } from './webhooks.ts';

/**
 * `POST /v2`: auth, the per-minute request limit, parse/validate, the
 * complexity budget, execution, then webhooks for what mutations changed.
 * Application errors come back with HTTP 200 and an `errors` array; auth
 * and limit answers have their own status, as Monday documents.
 */
function tokenOf(header: string | undefined, acceptBearer: boolean): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (m) return acceptBearer ? m[1] : undefined;
  return header.trim();
}

/** Versions compare as strings: "yyyy-mm". */
const atLeast = (version: string, min: string): boolean => version >= min;

function sendUnauthenticated(reply: FastifyReply, fake: MondayCtx): FastifyReply {
  const body = fake.knobs.unauthenticatedBody === 'plain'
    ? { errors: ['Not Authenticated'] }
    : { errors: [{ message: 'Not Authenticated', extensions: { code: 'UNAUTHENTICATED', status_code: 401 } }] };
  return reply.code(401).send(body);
}

/** Monday's minute-limit answer; also what the 429-burst fault sends. */
export function sendRateLimited(reply: FastifyReply, retryInSeconds: number): FastifyReply {
  return reply.code(429).header('retry-after', String(retryInSeconds)).send({
    errors: [{ message: 'Rate Limit Exceeded', extensions: { code: 'RATE_LIMIT_EXCEEDED', retry_in_seconds: retryInSeconds } }],
  });
}

function sendBudgetExhausted(reply: FastifyReply, fake: MondayCtx, version: string, cost: number, left: number, retryIn: number): FastifyReply {
  reply.code(429).header('retry-after', String(retryIn));
  if (atLeast(version, '2025-07')) {
    return reply.send({ errors: [{ message: 'Complexity budget exhausted', extensions: { code: 'COMPLEXITY_BUDGET_EXHAUSTED', retry_in_seconds: retryIn } }] });
  }
  if (atLeast(version, '2025-01')) {
    return reply.send({ errors: [{ message: 'Complexity budget exhausted', extensions: {
      code: 'COMPLEXITY_BUDGET_EXHAUSTED', complexity: cost, complexity_budget_left: left,
      complexity_budget_limit: fake.knobs.complexityBudget, retry_in_seconds: retryIn, status_code: 429,
    } }] });
  }
  const message = `Complexity budget exhausted, query cost ${cost} budget remaining ${left} out of ${fake.knobs.complexityBudget} reset in ${retryIn} seconds`;
  return reply.send({ error_code: 'ComplexityException', status_code: 429, error_message: message, error_data: {}, errors: [message], account_id: fake.state.accountId });
}

function minuteWindow(fake: MondayCtx): RateWindow {
  const w = fake.state.minuteWindow;
  if (w && w.limit === fake.knobs.requestsPerWindow && w.windowMs === fake.knobs.requestWindowMs) return w;
  fake.state.minuteWindow = new RateWindow(fake.knobs.requestsPerWindow, fake.knobs.requestWindowMs);
  return fake.state.minuteWindow;
}

const formatError = (e: GraphQLError) => ({
  message: e.message,
  ...(e.locations ? { locations: e.locations } : {}),
  ...(e.path ? { path: e.path } : {}),
  extensions: e.extensions,
});

function withCode(e: GraphQLError, code: string) {
  return { ...formatError(e), extensions: { code, ...e.extensions } };
}

const paginates = (doc: DocumentNode): boolean => /items_page|next_items_page/.test(doc.loc?.source.body ?? '');

export function registerGraphqlRoute(app: FastifyInstance, fake: MondayCtx): void {
  app.post('/v2', async (req, reply) => {
    const token = tokenOf(req.headers.authorization, fake.knobs.acceptBearerPrefix);
    const grant = fake.oauth.check(token);
    if (grant.state !== 'ok' || !token) return sendUnauthenticated(reply, fake);

    const limit = minuteWindow(fake).take(token);
    if (!limit.ok) return sendRateLimited(reply, Math.max(1, Math.ceil(limit.resetMs / 1000)));

    const header = req.headers['api-version'];
    const version = typeof header === 'string' && /^\d{4}-\d{2}$/.test(header) ? header : fake.knobs.defaultApiVersion;
    const requestId = randomUUID();
    const envelope = (body: Record<string, unknown>) => ({ ...body, account_id: fake.state.accountId, extensions: { request_id: requestId } });

    const body = (req.body ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
    if (typeof body.query !== 'string' || body.query.trim() === '') {
      return reply.code(400).send(envelope({ errors: [{ message: 'No query string was present', extensions: { code: 'BAD_REQUEST' } }] }));
    }
    let doc: DocumentNode;
    try {
      doc = parse(body.query);
    } catch (err) {
      return reply.send(envelope({ errors: [withCode(err as GraphQLError, 'GRAPHQL_PARSE_FAILED')] }));
    }
    const invalid = validate(mondaySchema(), doc);
    if (invalid.length) return reply.send(envelope({ errors: invalid.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED')) }));

    const vars = (body.variables && typeof body.variables === 'object' ? body.variables : {}) as Record<string, unknown>;
    const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const op = typeof body.operationName === 'string' ? ops.find((o) => o.name?.value === body.operationName) : ops[0];
    if (!op) return reply.send(envelope({ errors: [{ message: 'Unknown operation', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] }));
    const fragments = doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);

    const cost = queryCost(op, fragments, vars);
    if (cost > fake.knobs.maxQueryComplexity) {
      return reply.send(envelope({ errors: [{
        message: `Query has complexity of ${cost}, which exceeds max complexity of ${fake.knobs.maxQueryComplexity}`,
        extensions: { code: 'maxComplexityExceeded', complexity: cost, maxComplexity: fake.knobs.maxQueryComplexity },
      }] }));
    }
    const budget = budgetOf(fake.state, token, fake.knobs.complexityWindowMs);
    const left = fake.knobs.complexityBudget - budget.used;
    const resetIn = resetInSeconds(budget, fake.knobs.complexityWindowMs);
    if (cost > left) return sendBudgetExhausted(reply, fake, version, cost, left, resetIn);
    budget.used += cost;
    reply.header('ratelimit-policy', `"complexity";q=${fake.knobs.complexityBudget};w=${Math.round(fake.knobs.complexityWindowMs / 1000)}`);
    reply.header('ratelimit', `"complexity";r=${left - cost};t=${resetIn}`);

    if (paginates(doc) && fake.takeMalformed()) {
      return reply.type('application/json').send('{"data":{"boards":[{"items_page":{"cursor":"MSw');
    }

    const scope: RequestScope = {
      fake, apiVersion: version, changes: [],
      complexity: { before: left, after: left - cost, query: cost, reset_in_x_seconds: resetIn },
    };
    const root = op.operation === 'mutation' ? mutationRoot(scope) : queryRoot(scope);
    const result = await execute({
      schema: mondaySchema(), document: doc, rootValue: root, contextValue: scope, variableValues: vars,
      ...(typeof body.operationName === 'string' ? { operationName: body.operationName } : {}),
    });
    const out = envelope({ data: result.data ?? null, ...(result.errors?.length ? { errors: result.errors.map(formatError) } : {}) });
    if (scope.changes.length) {
      const changes = scope.changes;
      void (async () => {
        for (const change of changes) await deliverChange(fake, change);
      })().catch(() => undefined);
    }
    return reply.send(out);
  });
}
