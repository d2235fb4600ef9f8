/**
 * Plays the user's browser with plain fetch: follows redirects by hand,
 * keeps cookies per origin, and submits oidc-provider's devInteractions
 * login and consent forms. Stops at the first URL `stop` accepts.
 */
export class ScriptedBrowser {
  readonly #cookies = new Map<string, Map<string, string>>();

  #cookieHeader(url: URL): string {
    return [...(this.#cookies.get(url.origin) ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  #keep(url: URL, res: Response): void {
    let jar = this.#cookies.get(url.origin);
    if (!jar) this.#cookies.set(url.origin, (jar = new Map()));
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(c) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
  }

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const u = new URL(url);
    const headers: Record<string, string> = { accept: 'text/html' };
    const cookie = this.#cookieHeader(u);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(u, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, redirect: 'manual', ...(body ? { body } : {}) });
    this.#keep(u, res);
    return res;
  }

  /**
   * Follows redirects from `start`, logging in as `login` and consenting
   * whenever a form appears (or pressing Cancel with `deny`), until a redirect points at a URL `stop` accepts.
   */
  async authorize(start: string, login: string, stop: (url: URL) => boolean, opts: { deny?: boolean } = {}): Promise<URL> {
    let next: { url: string; form?: Record<string, string> } = { url: start };
    for (let hops = 0; hops < 20; hops++) {
      const res = await this.request(next.url, next.form ? { form: next.form } : {});
      const location = res.headers.get('location');
      if (location) {
        const target = new URL(location, next.url);
        await res.body?.cancel();
        if (stop(target)) return target;
        next = { url: target.toString() };
        continue;
      }
      const html = await res.text();
      const cancel = /<a href="([^"]+)">\[ Cancel \]<\/a>/.exec(html)?.[1];
      if (opts.deny && cancel) {
        next = { url: new URL(cancel.replaceAll('&amp;', '&'), next.url).toString() };
        continue;
      }
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
      if (!action || !prompt) throw new Error(`no redirect and no form at ${next.url} (${res.status}): ${html.slice(0, 300)}`);
      const form: Record<string, string> = prompt === 'login' ? { prompt, login, password: 'any' } : { prompt };
      next = { url: new URL(action.replaceAll('&amp;', '&'), next.url).toString(), form };
    }
    throw new Error('too many redirects');
  }
}
