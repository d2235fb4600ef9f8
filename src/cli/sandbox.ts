import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { FAKE_NAMES, startSandbox, type SandboxFake } from '../../sandbox/index.ts';
import { fail } from './fail.ts';

/**
 * `switchyard sandbox`: runs the provider fakes on fixed local ports and
 * prints what a connector needs to talk to each (base URL, tokens, client
 * id/secret, app ids). Private keys go to files, not the terminal, so they
 * can be passed as paths. Stops cleanly on SIGINT/SIGTERM.
 */
export const DEFAULT_BASE_PORT = 4010;

interface SandboxCliOptions {
  providers?: string[];
  seed: 'demo' | 'none';
  port: number;
}

const list = (v: string): string[] => v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);

function seedKind(v: string): 'demo' | 'none' {
  if (v !== 'demo' && v !== 'none') throw new InvalidArgumentError('use demo or none');
  return v;
}

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n + FAKE_NAMES.length > 65_536) throw new InvalidArgumentError(`use 0 (random) or a base port up to ${65_536 - FAKE_NAMES.length}`);
  return n;
}

export function registerSandboxCommand(program: Command): void {
  program.command('sandbox')
    .description('run local fakes of the providers (HubSpot, Stripe, Monday, ...) with ready-made credentials')
    .option('--providers <names>', `comma-separated subset of: ${FAKE_NAMES.join(', ')}`, list)
    .option('--seed <kind>', 'demo (a small dataset in each fake) or none', seedKind, 'demo')
    .option('--port <base>', `first port; fakes take consecutive ports in registry order (0 = random)`, port, DEFAULT_BASE_PORT)
    .action(async (opts: SandboxCliOptions) => runSandbox(opts));
}

async function runSandbox(opts: SandboxCliOptions): Promise<void> {
  // An unknown name (UnknownFakeError) or a taken port ends here as one line and exit 1, before anything runs.
  const sandbox = await startSandbox({ ...(opts.providers ? { providers: opts.providers } : {}), seed: opts.seed, basePort: opts.port }).catch(fail);
  const keyDir = mkdtempSync(join(tmpdir(), 'switchyard-sandbox-'));
  const out: string[] = [`switchyard sandbox: ${sandbox.fakes.length} fake${sandbox.fakes.length === 1 ? '' : 's'} running (seed: ${opts.seed})`, ''];
  for (const f of sandbox.fakes) out.push(...describeFake(f, keyDir), '');
  out.push(`Control API on every fake: <url>/_sandbox/... (reset, seed, state, requests, faults, knobs, oauth, webhooks); see sandbox/README.md.`);
  out.push(`Key files live in ${keyDir} until the sandbox stops. Press Ctrl-C to stop.`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Fakes cancel their webhook retries on close, so nothing should outlive this; if something does, say so.
    const force = setTimeout(() => {
      process.stderr.write('switchyard: sandbox did not stop within 10 s; exiting\n');
      process.exit(1);
    }, 10_000);
    force.unref();
    sandbox.close().then(
      () => {
        rmSync(keyDir, { recursive: true, force: true });
        process.stdout.write(`switchyard sandbox: stopped (${signal})\n`);
        process.exitCode = 0;
      },
      (err: unknown) => fail(err),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  // Printed last: whoever waits for this output may signal at once, and the handlers must already be there.
  process.stdout.write(`${out.join('\n')}\n`);
}

/** One fake's block: name and URL, then one credential a line; multi-line secrets (PEM keys) become file paths. */
function describeFake(f: SandboxFake, keyDir: string): string[] {
  const lines = [`${f.name}  ${f.url}  (docs: sandbox/${f.name}/README.md)`];
  for (const [key, value] of Object.entries(f.credentials)) {
    if (value === '') continue;
    if (value.includes('\n')) {
      const name = key.replace(/Pem$/, '');
      const file = join(keyDir, `${f.name}-${name}.pem`);
      writeFileSync(file, value, { mode: 0o600 });
      lines.push(`  ${name}File: ${file}`);
    } else {
      lines.push(`  ${key}: ${value}`);
    }
  }
  return lines;
}
