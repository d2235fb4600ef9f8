import type { FakeContext } from '../core/server.ts';
import type { WordPressKnobs } from './knobs.ts';

/** One row of wp_posts: posts, pages, the `book` custom type and attachments share it, as in WordPress. */
export interface Post {
  id: number;
  type: 'post' | 'page' | 'book' | 'attachment';
  status: 'publish' | 'future' | 'draft' | 'pending' | 'private' | 'trash' | 'inherit';
  /** Status before trashing, restored on untrash. */
  trashedFrom?: Post['status'];
  slug: string;
  title: string;
  content: string;
  excerpt: string;
  author: number;
  date: string;
  modified: string;
  parent: number;
  menuOrder: number;
  sticky: boolean;
  categories: number[];
  tags: number[];
  featuredMedia: number;
  password: string;
  mimeType?: string;
  fileName?: string;
  file?: Buffer;
  altText?: string;
}

export interface User {
  id: number;
  username: string;
  name: string;
  firstName: string;
  lastName: string;
  email: string;
  roles: ('administrator' | 'editor' | 'author' | 'contributor' | 'subscriber')[];
  registered: string;
  /** Application passwords: 24 alphanumerics, stored without spaces. */
  appPasswords: { uuid: string; name: string; password: string; created: string; lastUsed: string | null }[];
}

export interface Term {
  id: number;
  taxonomy: 'category' | 'post_tag';
  name: string;
  slug: string;
  description: string;
  parent: number;
}

export interface WordPressState {
  posts: Map<number, Post>;
  users: Map<number, User>;
  terms: Map<number, Term>;
  nextPostId: number;
  nextTermId: number;
  nextUserId: number;
}

export type WpCtx = FakeContext<WordPressState, WordPressKnobs>;

/** Stamps are stored as WordPress's GMT form `2024-01-01T10:00:00`; the site timezone is UTC. */
export const wpDate = (ms: number): string => new Date(ms).toISOString().slice(0, 19);

export const ADMIN_APP_PASSWORD = 'Swyd7Sbx2WpAp9Pw4Xy5Zt8Q';

export function createState(): WordPressState {
  const at = wpDate(Date.UTC(2024, 0, 1));
  const user = (id: number, username: string, name: string, roles: User['roles']): User => ({
    id, username, name, firstName: name.split(' ')[0] ?? '', lastName: name.split(' ')[1] ?? '', email: `${username}@example.com`, roles, registered: at, appPasswords: [],
  });
  const admin = user(1, 'admin', 'Site Admin', ['administrator']);
  admin.appPasswords.push({ uuid: '6f1e2a4c-0b1d-4c9e-9a57-2f3b4c5d6e7f', name: 'switchyard', password: ADMIN_APP_PASSWORD, created: at, lastUsed: null });
  const users = new Map<number, User>([
    [1, admin], [2, user(2, 'editor', 'Eddie Editor', ['editor'])], [3, user(3, 'author', 'Ava Author', ['author'])], [4, user(4, 'subscriber', 'Sam Subscriber', ['subscriber'])],
  ]);
  const terms = new Map<number, Term>([[1, { id: 1, taxonomy: 'category', name: 'Uncategorized', slug: 'uncategorized', description: '', parent: 0 }]]);
  return { posts: new Map(), users, terms, nextPostId: 1, nextTermId: 2, nextUserId: 5 };
}
