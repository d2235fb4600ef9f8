import type { ProviderProfile } from './profile.ts';
import type { Token } from './token-source.ts';

/** Puts the token where the provider expects it: a header, or for query-param auth the URL. */
export function applyAuth(auth: ProviderProfile['auth'], token: Token, url: URL, headers: Headers): void {
  switch (auth.style) {
    case 'bearer':
      headers.set('authorization', `Bearer ${token.value}`);
      return;
    case 'token':
      headers.set('authorization', `token ${token.value}`);
      return;
    case 'header':
      headers.set(auth.header, `${auth.prefix}${token.value}`);
      return;
    case 'basic':
      headers.set('authorization', `Basic ${Buffer.from(token.value, 'utf8').toString('base64')}`);
      return;
    case 'query':
      url.searchParams.set(auth.param, token.value);
      return;
  }
}
