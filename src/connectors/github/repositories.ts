import type { ConnectorContext, ModelSpec, RecordChange } from '../types.ts';
import { fullListPage } from './full-list.ts';
import { modifiedAt, repositoryRecord, type RepositoryRecord } from './normalise.ts';
import { getOrUndefined } from './paging.ts';
import { numericId } from './params.ts';
import { repositorySchema } from './schemas.ts';

/**
 * The repositories the connection can see: an installation's repositories
 * for a GitHub App connection (its config has `installationId`), else the
 * user's own (`/user/repos`). Full reads; read-only. Ids are GitHub's
 * numeric repository ids, read back through `/repositories/{id}`.
 */
function listRequest(ctx: ConnectorContext) {
  return ctx.connection.config.installationId !== undefined
    ? { req: { method: 'GET', path: '/installation/repositories' }, items: (b: any) => b.repositories ?? [] }
    : { req: { method: 'GET', path: '/user/repos' }, items: (b: any) => b };
}

async function get(ctx: ConnectorContext, id: string): Promise<RecordChange<RepositoryRecord> | undefined> {
  const raw = await getOrUndefined<Record<string, any>>(ctx, `/repositories/${numericId(id, 'repository id')}`);
  if (!raw) return undefined;
  const record = repositoryRecord(raw);
  return { id: record.id, record, modifiedAt: modifiedAt.repository(record) };
}

export const repositories: ModelSpec<RepositoryRecord> = {
  name: 'repositories',
  description: 'Repositories the connection can see (installation repositories for a GitHub App, else the user\'s own); full reads; read-only',
  schema: repositorySchema,
  batchLimit: 1,
  incremental: false,
  list: (ctx, opts) => {
    const { req, items } = listRequest(ctx);
    return fullListPage(ctx, opts, req, items, repositoryRecord, modifiedAt.repository);
  },
  get,
};
