import { renderContent, renderExcerpt, renderTitle } from './content.ts';
import type { Post, Term, User, WpCtx } from './state.ts';

/**
 * The JSON WordPress returns for posts, pages, books, media, users and
 * terms, in `view` or `edit` context (edit adds the raw fields), with `_links`.
 */
export type Context = 'view' | 'embed' | 'edit';

export const REST_BASE: Record<Post['type'], string> = { post: 'posts', page: 'pages', book: 'books', attachment: 'media' };

export const apiRoot = (ctx: WpCtx): string => `${ctx.baseUrl()}/wp-json`;

function permalink(ctx: WpCtx, p: Post): string {
  const site = ctx.baseUrl();
  if (p.status !== 'publish' && p.status !== 'inherit') return `${site}/?p=${p.id}`;
  if (p.type === 'book') return `${site}/book/${p.slug}/`;
  return `${site}/${p.slug}/`;
}

export function presentPost(ctx: WpCtx, p: Post, context: Context): Record<string, unknown> {
  const root = apiRoot(ctx);
  const base = `${root}/wp/v2/${REST_BASE[p.type]}`;
  const edit = context === 'edit';
  const out: Record<string, unknown> = {
    id: p.id, date: p.date, date_gmt: p.date,
    guid: { rendered: `${ctx.baseUrl()}/?p=${p.id}`, ...(edit ? { raw: `${ctx.baseUrl()}/?p=${p.id}` } : {}) },
    modified: p.modified, modified_gmt: p.modified, slug: p.slug, status: p.status, type: p.type, link: permalink(ctx, p),
    title: { ...(edit ? { raw: p.title } : {}), rendered: renderTitle(p.title) },
  };
  if (p.type !== 'attachment') {
    out.content = { ...(edit ? { raw: p.content } : {}), rendered: p.password && !edit ? '' : renderContent(p.content), protected: p.password !== '', ...(edit ? { block_version: /<!--\s*wp:/.test(p.content) ? 1 : 0 } : {}) };
    out.excerpt = { ...(edit ? { raw: p.excerpt } : {}), rendered: renderExcerpt(p.excerpt, p.content), protected: p.password !== '' };
  }
  out.author = p.author;
  if (p.type !== 'attachment') out.featured_media = p.featuredMedia;
  if (p.type === 'page') Object.assign(out, { parent: p.parent, menu_order: p.menuOrder });
  Object.assign(out, { comment_status: p.type === 'page' ? 'closed' : 'open', ping_status: p.type === 'page' ? 'closed' : 'open', template: '', meta: { footnotes: '' } });
  if (p.type === 'post') Object.assign(out, { sticky: p.sticky, format: 'standard', categories: p.categories, tags: p.tags });
  if (p.type === 'attachment') {
    const url = `${ctx.baseUrl()}/wp-content/uploads/${p.date.slice(0, 4)}/${p.date.slice(5, 7)}/${p.fileName ?? ''}`;
    Object.assign(out, {
      description: { ...(edit ? { raw: p.content } : {}), rendered: renderContent(p.content) },
      caption: { ...(edit ? { raw: p.excerpt } : {}), rendered: renderExcerpt(p.excerpt, '') },
      alt_text: p.altText ?? '', media_type: p.mimeType?.startsWith('image/') ? 'image' : 'file', mime_type: p.mimeType ?? 'application/octet-stream',
      media_details: { filesize: p.file?.length ?? 0, sizes: {} }, post: p.parent || null, source_url: url,
    });
  }
  if (edit) Object.assign(out, { password: p.password, permalink_template: `${ctx.baseUrl()}/${p.type === 'book' ? 'book/' : ''}%postname%/`, generated_slug: p.slug });
  out._links = {
    self: [{ href: `${base}/${p.id}`, targetHints: { allow: ['GET'] } }],
    collection: [{ href: base }],
    about: [{ href: `${root}/wp/v2/types/${p.type}` }],
    author: [{ embeddable: true, href: `${root}/wp/v2/users/${p.author}` }],
    ...(p.type === 'post' ? { 'wp:term': [
      { taxonomy: 'category', embeddable: true, href: `${root}/wp/v2/categories?post=${p.id}` },
      { taxonomy: 'post_tag', embeddable: true, href: `${root}/wp/v2/tags?post=${p.id}` }] } : {}),
    curies: [{ name: 'wp', href: 'https://api.w.org/{rel}', templated: true }],
  };
  return out;
}

export function presentUser(ctx: WpCtx, u: User, context: Context): Record<string, unknown> {
  const root = apiRoot(ctx);
  const hash = Buffer.from(u.email).toString('hex').slice(0, 32);
  const out: Record<string, unknown> = {
    id: u.id, name: u.name, url: '', description: '', link: `${ctx.baseUrl()}/author/${u.username}/`, slug: u.username,
    avatar_urls: Object.fromEntries([24, 48, 96].map((s) => [String(s), `https://secure.gravatar.com/avatar/${hash}?s=${s}&d=mm&r=g`])),
    meta: [],
  };
  if (context === 'edit') {
    Object.assign(out, {
      username: u.username, first_name: u.firstName, last_name: u.lastName, email: u.email, nickname: u.username, locale: 'en_US',
      registered_date: `${u.registered}+00:00`, roles: u.roles, capabilities: Object.fromEntries(u.roles.map((r) => [r, true])), extra_capabilities: Object.fromEntries(u.roles.map((r) => [r, true])),
    });
  }
  out._links = { self: [{ href: `${root}/wp/v2/users/${u.id}` }], collection: [{ href: `${root}/wp/v2/users` }] };
  return out;
}

export function presentTerm(ctx: WpCtx, t: Term, count: number): Record<string, unknown> {
  const root = apiRoot(ctx);
  const base = t.taxonomy === 'category' ? 'categories' : 'tags';
  return {
    id: t.id, count, description: t.description, link: `${ctx.baseUrl()}/${t.taxonomy === 'category' ? 'category' : 'tag'}/${t.slug}/`,
    name: t.name, slug: t.slug, taxonomy: t.taxonomy, ...(t.taxonomy === 'category' ? { parent: t.parent } : {}), meta: [],
    _links: { self: [{ href: `${root}/wp/v2/${base}/${t.id}` }], collection: [{ href: `${root}/wp/v2/${base}` }], about: [{ href: `${root}/wp/v2/taxonomies/${t.taxonomy}` }] },
  };
}

/** The `_fields` global parameter: keep only the named top-level keys (or `a.b` nested ones). */
export function pickFields(obj: Record<string, unknown>, fields: string | undefined): Record<string, unknown> {
  if (!fields) return obj;
  const out: Record<string, unknown> = {};
  for (const f of fields.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [head, sub] = f.split('.', 2) as [string, string?];
    if (!(head in obj)) continue;
    if (sub === undefined) out[head] = obj[head];
    else {
      const inner = obj[head];
      if (inner && typeof inner === 'object' && sub in inner) out[head] = { ...(out[head] as object | undefined), [sub]: (inner as Record<string, unknown>)[sub] };
    }
  }
  return out;
}
