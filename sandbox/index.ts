import type { RunningFake } from './core/server.ts';
import { DEMO_SEEDS } from './demo.ts';
import { startGithub } from './github/index.ts';
import { startGoogle } from './google/index.ts';
import { startHubSpot } from './hubspot/index.ts';
import { startMonday } from './monday/index.ts';
import { startNotion } from './notion/index.ts';
import { startSalesforce } from './salesforce/index.ts';
import { startShopify } from './shopify/index.ts';
import { startSlack } from './slack/index.ts';
import { startStripe } from './stripe/index.ts';
import { startWordPress } from './wordpress/index.ts';

/**
 * Every provider fake by name, and `startSandbox`, which runs a chosen set of
 * them side by side (what `switchyard sandbox` and end-to-end tests use).
 */
export interface FakeStartOptions {
  port?: number;
  host?: string;
  seed?: unknown;
  randomSeed?: number;
}

export interface FakeEntry {
  start(opts?: FakeStartOptions): Promise<RunningFake>;
}

/** Registry order is also port order: the n-th fake listens on basePort + n. */
export const FAKES = {
  hubspot: { start: startHubSpot },
  stripe: { start: startStripe },
  slack: { start: startSlack },
  shopify: { start: startShopify },
  monday: { start: startMonday },
  notion: { start: startNotion },
  salesforce: { start: startSalesforce },
  wordpress: { start: startWordPress },
  github: { start: startGithub },
  google: { start: startGoogle },
} satisfies Record<string, FakeEntry>;

export type FakeName = keyof typeof FAKES;
export const FAKE_NAMES = Object.keys(FAKES) as FakeName[];

export const isFakeName = (name: string): name is FakeName => Object.hasOwn(FAKES, name);

export interface SandboxOptions {
  /** Which fakes to start (default: all, in registry order). */
  providers?: string[];
  /** `demo` fills each fake with a small dataset; `none` leaves only what a fresh fake holds. */
  seed?: 'demo' | 'none';
  /** First port; each fake gets basePort + its registry index. 0 (default) picks free ports. */
  basePort?: number;
  host?: string;
}

export interface SandboxFake {
  name: FakeName;
  url: string;
  credentials: Record<string, string>;
  fake: RunningFake;
}

export interface Sandbox {
  fakes: SandboxFake[];
  close: () => Promise<void>;
}

export class UnknownFakeError extends Error {
  constructor(names: string[]) {
    super(`unknown provider${names.length > 1 ? 's' : ''} ${names.join(', ')} (known: ${FAKE_NAMES.join(', ')})`);
    this.name = 'UnknownFakeError';
  }
}

/** Starts the chosen fakes; if one fails to start, the ones already running are closed before the error is thrown. */
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const wanted = opts.providers ?? FAKE_NAMES;
  const unknown = wanted.filter((n) => !isFakeName(n));
  if (unknown.length > 0) throw new UnknownFakeError(unknown);
  const names = FAKE_NAMES.filter((n) => wanted.includes(n));
  const basePort = opts.basePort ?? 0;
  const fakes: SandboxFake[] = [];
  const close = async () => {
    await Promise.all(fakes.splice(0).map((f) => f.fake.close()));
  };
  try {
    for (const name of names) {
      const entry: FakeEntry = FAKES[name];
      const seed = opts.seed === 'demo' ? DEMO_SEEDS[name] : undefined;
      const fake = await entry.start({
        port: basePort === 0 ? 0 : basePort + FAKE_NAMES.indexOf(name),
        ...(opts.host ? { host: opts.host } : {}),
        ...(seed === undefined ? {} : { seed }),
      });
      fakes.push({ name, url: fake.url, credentials: fake.credentials, fake });
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { fakes, close };
}
