import { clientCredentialsGrant } from './client-credentials.ts';
import { GrantError } from './grant-error.ts';
import type { GrantContext, GrantResult } from './grant.ts';
import { githubAppGrant } from './github-app.ts';
import { jwtBearerGrant } from './jwt-bearer.ts';
import { refreshTokenGrant } from './refresh-grant.ts';
import { serviceAccountGrant } from './service-account.ts';

/** The one grant each mode uses to get its next access token. */
export function mintToken(ctx: GrantContext): Promise<GrantResult> {
  switch (ctx.provider.auth.mode) {
    case 'oauth2': return refreshTokenGrant(ctx);
    case 'client_credentials': return clientCredentialsGrant(ctx);
    case 'jwt_bearer': return jwtBearerGrant(ctx);
    case 'github_app': return githubAppGrant(ctx);
    case 'service_account': return serviceAccountGrant(ctx);
    default: return Promise.reject(new GrantError('rejected', `${ctx.provider.auth.mode} credentials do not expire and are not minted`));
  }
}
