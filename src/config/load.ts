import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { configSchema, ENV_NAMES, type Config } from './schema.ts';

/** A configuration problem, always phrased as one line naming the setting. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Raw = Record<string, unknown>;

function readFile(path: string): Raw {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`config file ${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let parsed: unknown;
  try {
    parsed = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(`config file ${path}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`config file ${path}: must hold a mapping of settings`);
  return parsed as Raw;
}

function fromEnv(env: NodeJS.ProcessEnv): Raw {
  const out: Raw = {};
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    const value = env[name];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

/**
 * Defaults, then the optional file, then env; validated and frozen. The error
 * names the setting the way the user wrote it: the env name when it came
 * from env, the file key otherwise.
 */
export function loadConfig(opts: { env?: NodeJS.ProcessEnv; file?: string; overrides?: Raw } = {}): Config {
  const env = opts.env ?? process.env;
  const filePath = opts.file ?? env.SWITCHYARD_CONFIG;
  const fileValues = filePath ? readFile(filePath) : {};
  const envValues = fromEnv(env);
  const merged = { ...fileValues, ...envValues, ...opts.overrides };
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    if (issue.code === 'unrecognized_keys') {
      throw new ConfigError(`config${filePath ? ` file ${filePath}` : ''}: unknown setting ${issue.keys.join(', ')}`);
    }
    const name = key in envValues ? ENV_NAMES[key as keyof typeof ENV_NAMES] : key in fileValues ? `${key} (in ${filePath})` : ENV_NAMES[key as keyof typeof ENV_NAMES] ?? key;
    throw new ConfigError(`config: ${name}: ${issue.message}`);
  }
  return Object.freeze(result.data);
}
