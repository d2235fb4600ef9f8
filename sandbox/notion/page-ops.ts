import { randomUUID } from 'node:crypto';
import { canonicalId, databaseOf, dataSourceOf } from './database-routes.ts';
import { notFound, validation } from './errors.ts';
import type { NotionCtx } from './knobs.ts';
import { parseProperties } from './properties.ts';
import { nowIso, titlePropertyOf, type Page } from './store.ts';
import { emitPageEvent, type PageEvent } from './webhooks.ts';

/**
 * Page writes shared by the API routes and the "as a user in the UI"
 * control routes; both fire the webhook Notion would (API writes included,
 * authored by the integration's bot).
 */
export type Author = { id: string; type: 'person' | 'bot' };

export function pageOf(ctx: NotionCtx, id: string): Page {
  const page = ctx.state.pages.get(canonicalId(id));
  if (!page) throw notFound('page', id);
  return page;
}

export function createPage(ctx: NotionCtx, body: { parent?: Record<string, unknown>; properties?: unknown }, author: Author, at = Date.now()): { page: Page; fire: () => Promise<void> } {
  const parent = body.parent ?? {};
  let ds;
  if (typeof parent.data_source_id === 'string') ds = dataSourceOf(ctx, parent.data_source_id);
  else if (typeof parent.database_id === 'string') ds = ctx.state.dataSources.get(databaseOf(ctx, parent.database_id).dataSourceId)!;
  else throw validation('body failed validation: body.parent.database_id should be defined, instead was `undefined`. (The sandbox supports database parents only.)');
  const values = parseProperties(ctx.state, ds, body.properties ?? {});
  if (!values.has(titlePropertyOf(ds).id)) values.set(titlePropertyOf(ds).id, []);
  const time = nowIso(ctx.knobs.roundTimesToMinute, at);
  const page: Page = {
    id: randomUUID(), dataSourceId: ds.id, databaseId: ds.databaseId, createdTime: time, lastEditedTime: time,
    createdBy: author.id, lastEditedBy: author.id, inTrash: false, values,
  };
  ctx.state.pages.set(page.id, page);
  return { page, fire: () => emitPageEvent(ctx, 'page.created', page, author) };
}

export function updatePage(ctx: NotionCtx, id: string, body: { properties?: unknown; in_trash?: unknown; archived?: unknown }, author: Author): { page: Page; fire: () => Promise<void> } {
  const page = pageOf(ctx, id);
  const ds = ctx.state.dataSources.get(page.dataSourceId)!;
  const trash = body.in_trash ?? body.archived;
  if (trash !== undefined && typeof trash !== 'boolean') throw validation(`body failed validation: body.in_trash should be a boolean, instead was \`${JSON.stringify(trash)}\`.`);
  const hasProps = body.properties !== undefined && Object.keys(body.properties as object).length > 0;
  if (page.inTrash && trash !== false && hasProps) throw validation("Can't edit block that is archived. You must unarchive the block before editing.");
  const values = parseProperties(ctx.state, ds, body.properties);
  const events: { type: PageEvent; props?: string[] }[] = [];
  if (trash === false && page.inTrash) events.push({ type: 'page.undeleted' });
  if (values.size) events.push({ type: 'page.properties_updated', props: [...values.keys()] });
  if (trash === true && !page.inTrash) events.push({ type: 'page.deleted' });
  for (const [k, v] of values) page.values.set(k, v);
  if (typeof trash === 'boolean') page.inTrash = trash;
  if (events.length) {
    page.lastEditedTime = nowIso(ctx.knobs.roundTimesToMinute);
    page.lastEditedBy = author.id;
  }
  return {
    page,
    fire: async () => {
      for (const e of events) await emitPageEvent(ctx, e.type, page, author, e.props);
    },
  };
}
