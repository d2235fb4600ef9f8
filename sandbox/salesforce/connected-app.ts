import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { SfCtx } from './state.ts';

/**
 * The org's one connected app: consumer key/secret for the web-server and
 * refresh flows, and the certificate (public key) the JWT bearer flow checks
 * assertions against. It outlives /_sandbox/reset so printed credentials stay
 * valid; it lives beside the context rather than in its state for that reason.
 */
export interface ConnectedApp {
  consumerKey: string;
  consumerSecret: string;
  /** The registered certificate's key; replace it via PUT /_sandbox/salesforce/connected-app. */
  publicKey: KeyObject;
  /** Private half of the generated default key pair, printed for `switchyard sandbox`. */
  privateKeyPem: string;
}

const apps = new WeakMap<object, ConnectedApp>();

export function connectedApp(ctx: SfCtx): ConnectedApp {
  let app = apps.get(ctx.oauth);
  if (!app) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    app = {
      consumerKey: '3MVG9SwitchyardSandbox.ConsumerKey.0000000000000000000000000000000000000000000',
      consumerSecret: 'F7C1A2B3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F',
      publicKey: pair.publicKey,
      privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
    apps.set(ctx.oauth, app);
    ctx.oauth.addClient(app.consumerKey, app.consumerSecret);
  }
  return app;
}

/** Accepts a PEM public key or an X.509 certificate, as Setup's "Use digital signatures" does. */
export function registerCertificate(ctx: SfCtx, pem: string): void {
  connectedApp(ctx).publicKey = createPublicKey(pem);
}
