import { authCode, can, wpError, type WpError } from './auth.ts';
import { invalidParam, type Query } from './list.ts';
import type { Post, User } from './state.ts';

/**
 * The list filters of the posts controller (shared by pages, the `book`
 * type and media): status, search, modified/date windows, author, include,
 * exclude, slug, taxonomy and ordering.
 */
const STATUSES = ['publish', 'future', 'draft', 'pending', 'private', 'trash', 'inherit', 'any'];

export const toMs = (s: string): number => Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(s) ? s : `${s}Z`);

const ids = (v: string | undefined): number[] => (v ?? '').split(',').map((x) => x.trim()).filter(Boolean).map(Number);

export function filterPosts(posts: Post[], type: Post['type'], q: Query, user: User | null): Post[] | WpError {
  const defaultStatus = type === 'attachment' ? 'inherit' : 'publish';
  const statuses = (q.status ?? defaultStatus).split(',').map((s) => s.trim());
  for (const s of statuses) {
    if (!STATUSES.includes(s)) return invalidParam('status', `status[0] is not one of ${STATUSES.join(', ')}.`);
    if (s !== defaultStatus && !can(user, 'edit_posts')) return wpError('rest_forbidden_status', 'Status is forbidden.', authCode(user));
  }
  for (const name of ['after', 'before', 'modified_after', 'modified_before']) {
    const v = q[name];
    if (v !== undefined && Number.isNaN(toMs(v))) return invalidParam(name, `Invalid date.`, 'rest_invalid_date');
  }
  const search = q.search?.toLowerCase();
  const include = ids(q.include);
  const exclude = ids(q.exclude);
  const authors = ids(q.author);
  const cats = ids(q.categories);
  const tags = ids(q.tags);
  const slugs = (q.slug ?? '').split(',').filter(Boolean);
  let out = posts.filter((p) => p.type === type
    && (statuses.includes('any') ? p.status !== 'trash' : statuses.includes(p.status))
    && (!search || `${p.title} ${p.content} ${p.excerpt}`.toLowerCase().includes(search))
    && (q.after === undefined || toMs(p.date) > toMs(q.after))
    && (q.before === undefined || toMs(p.date) < toMs(q.before))
    && (q.modified_after === undefined || toMs(p.modified) > toMs(q.modified_after))
    && (q.modified_before === undefined || toMs(p.modified) < toMs(q.modified_before))
    && (include.length === 0 || include.includes(p.id))
    && !exclude.includes(p.id)
    && (authors.length === 0 || authors.includes(p.author))
    && (slugs.length === 0 || slugs.includes(p.slug))
    && (cats.length === 0 || p.categories.some((c) => cats.includes(c)))
    && (tags.length === 0 || p.tags.some((t) => tags.includes(t)))
    && (q.parent === undefined || ids(q.parent).includes(p.parent)));
  const orderby = q.orderby ?? (search ? 'relevance' : 'date');
  const desc = (q.order ?? 'desc') !== 'asc';
  if (q.order !== undefined && !['asc', 'desc'].includes(q.order)) return invalidParam('order', 'order is not one of asc and desc.');
  const key = (p: Post): string | number => {
    switch (orderby) {
      case 'modified': return p.modified;
      case 'id': return p.id;
      case 'title': return p.title.toLowerCase();
      case 'slug': return p.slug;
      case 'include': return include.indexOf(p.id);
      case 'menu_order': return p.menuOrder;
      default: return p.date;
    }
  };
  if (!['date', 'modified', 'id', 'title', 'slug', 'include', 'relevance', 'menu_order', 'author', 'parent', 'include_slugs'].includes(orderby)) {
    return invalidParam('orderby', `orderby is not one of author, date, id, include, modified, parent, relevance, slug, include_slugs, title.`);
  }
  out = out.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const cmp = x < y ? -1 : x > y ? 1 : a.id - b.id;
    return desc && orderby !== 'include' ? -cmp : cmp;
  });
  return out;
}
