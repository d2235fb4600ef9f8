import { paragraphBlock, slugify } from './content.ts';
import { wpDate, type Post, type WpCtx } from './state.ts';

/**
 * Fixtures (`{ posts: [{ title, content, status?, date?, modified? }], pages: [...], books: [...] }`)
 * or a generator (`{ generate: { posts: 250, pages: 5, books: 20 } }`). Generated
 * posts are deterministic, spread an hour apart from 2024-01-01, with block
 * content. Seeding sends no webhooks.
 */
const WORDS = ['river', 'signal', 'harbor', 'copper', 'meadow', 'lantern', 'orbit', 'granite', 'willow', 'ember', 'cipher', 'tide'];
const TYPES: Record<string, Post['type']> = { posts: 'post', pages: 'page', books: 'book' };
const EPOCH = Date.UTC(2024, 0, 1);

interface Fixture { title?: string; content?: string; excerpt?: string; status?: Post['status']; date?: string; modified?: string; author?: number; categories?: number[] }

export function seed(ctx: WpCtx, spec: unknown): void {
  const s = (spec ?? {}) as Record<string, unknown> & { generate?: Record<string, number> };
  for (const [key, type] of Object.entries(TYPES)) {
    for (const f of (s[key] as Fixture[] | undefined) ?? []) add(ctx, type, f);
  }
  for (const [key, n] of Object.entries(s.generate ?? {})) {
    const type = TYPES[key];
    if (!type) throw new Error(`seed: unknown WordPress collection ${key}`);
    for (let i = 0; i < n; i += 1) {
      const pick = () => WORDS[Math.floor(ctx.random() * WORDS.length)]!;
      const title = `${pick()} ${pick()} ${i + 1}`;
      const at = wpDate(EPOCH + ctx.state.nextPostId * 3_600_000);
      add(ctx, type, { title, content: `${paragraphBlock(`The ${pick()} met the ${pick()}.`)}\n\n${paragraphBlock(`Entry ${i + 1} of ${n}.`)}`, status: 'publish', date: at, modified: at, author: 1 + Math.floor(ctx.random() * 3) });
    }
  }
}

function add(ctx: WpCtx, type: Post['type'], f: Fixture): void {
  const now = wpDate(Date.now());
  const date = f.date ? wpDate(Date.parse(/Z|[+-]\d\d:?\d\d$/.test(f.date) ? f.date : `${f.date}Z`)) : now;
  const modified = f.modified ? wpDate(Date.parse(/Z|[+-]\d\d:?\d\d$/.test(f.modified) ? f.modified : `${f.modified}Z`)) : date;
  const title = f.title ?? '';
  const id = ctx.state.nextPostId++;
  ctx.state.posts.set(id, {
    id, type, status: f.status ?? 'publish', slug: `${slugify(title) || id}`, title, content: f.content ?? '', excerpt: f.excerpt ?? '',
    author: f.author ?? 1, date, modified, parent: 0, menuOrder: 0, sticky: false, categories: type === 'post' ? f.categories ?? [1] : [], tags: [], featuredMedia: 0, password: '',
  });
}
