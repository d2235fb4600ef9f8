import type { FastifyInstance } from 'fastify';
import { apiRoot, REST_BASE } from './present.ts';
import type { WpCtx } from './state.ts';

/** Discovery: the `/wp-json/` index, the wp/v2 namespace and post types. */
const ROUTES: [string, string[]][] = [
  ['/wp/v2/posts', ['GET', 'POST']], ['/wp/v2/posts/(?P<id>[\\d]+)', ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']],
  ['/wp/v2/pages', ['GET', 'POST']], ['/wp/v2/pages/(?P<id>[\\d]+)', ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']],
  ['/wp/v2/books', ['GET', 'POST']], ['/wp/v2/books/(?P<id>[\\d]+)', ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']],
  ['/wp/v2/media', ['GET', 'POST']], ['/wp/v2/media/(?P<id>[\\d]+)', ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']],
  ['/wp/v2/users', ['GET']], ['/wp/v2/users/me', ['GET']], ['/wp/v2/users/(?P<id>[\\d]+)', ['GET', 'DELETE']],
  ['/wp/v2/categories', ['GET', 'POST']], ['/wp/v2/tags', ['GET', 'POST']], ['/wp/v2/types', ['GET']],
];

export function registerIndexRoutes(app: FastifyInstance, ctx: WpCtx): void {
  const routes = (prefix: string) => Object.fromEntries(ROUTES.filter(([r]) => r.startsWith(prefix)).map(([r, methods]) => [r, {
    namespace: 'wp/v2', methods, endpoints: [{ methods, args: {} }], _links: { self: [{ href: `${apiRoot(ctx)}${r}` }] },
  }]));
  const index = async () => ({
    name: ctx.knobs.siteName, description: 'Just another WordPress site', url: ctx.baseUrl(), home: ctx.baseUrl(), gmt_offset: 0, timezone_string: '',
    page_for_posts: 0, page_on_front: 0, show_on_front: 'posts',
    namespaces: ['oembed/1.0', 'wp/v2', 'wp-site-health/v1', 'wp-block-editor/v1'],
    authentication: { 'application-passwords': { endpoints: { authorization: `${ctx.baseUrl()}/wp-admin/authorize-application.php` } } },
    routes: { '/': { namespace: '', methods: ['GET'], endpoints: [{ methods: ['GET'], args: {} }] }, '/wp/v2': { namespace: 'wp/v2', methods: ['GET'] }, ...routes('/wp/v2/') },
    site_logo: 0, site_icon: 0, site_icon_url: '',
    _links: { help: [{ href: 'https://developer.wordpress.org/rest-api/' }] },
  });
  app.get('/wp-json', index);
  app.get('/wp-json/', index);
  app.get('/wp-json/wp/v2', async () => ({ namespace: 'wp/v2', routes: routes('/wp/v2/') }));
  app.get('/wp-json/wp/v2/types', async () => Object.fromEntries((['post', 'page', 'attachment', 'book'] as const).map((t) => [t, {
    description: '', hierarchical: t === 'page', has_archive: t === 'book', name: t === 'attachment' ? 'Media' : `${t[0]!.toUpperCase()}${t.slice(1)}s`,
    slug: t, taxonomies: t === 'post' ? ['category', 'post_tag'] : [], rest_base: REST_BASE[t], rest_namespace: 'wp/v2',
    _links: { collection: [{ href: `${apiRoot(ctx)}/wp/v2/types` }], 'wp:items': [{ href: `${apiRoot(ctx)}/wp/v2/${REST_BASE[t]}` }] },
  }])));
}
