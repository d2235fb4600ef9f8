import type { Connector } from '../types.ts';
import { mediaModel } from './media.ts';
import { customBase, postTypeModel } from './post-types.ts';
import { categoriesModel, tagsModel, usersModel } from './users-terms.ts';
import { fromWordPressWebhook } from './webhook.ts';

/**
 * WordPress (self-hosted, REST API with application passwords). Custom post
 * types are the `items` model with `params.type` (the REST base, e.g.
 * `books`) or `params.postType` (the type slug, e.g. `book`).
 */
export const connector: Connector = {
  provider: 'wordpress',
  models: {
    posts: postTypeModel('posts', 'Posts (any status but trash) with raw Gutenberg content and its block tree; incremental on modified.', async () => 'posts'),
    pages: postTypeModel('pages', 'Pages (any status but trash) with raw content and block tree; incremental on modified.', async () => 'pages'),
    items: postTypeModel('items', 'Items of a custom post type (params.type = REST base, or params.postType = slug); incremental on modified.', customBase),
    media: mediaModel,
    users: usersModel,
    categories: categoriesModel,
    tags: tagsModel,
  },
  fromWebhook: fromWordPressWebhook,
};
