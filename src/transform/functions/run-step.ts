import { BUILTIN_FUNCTIONS } from './builtins.ts';
import { tools } from './types.ts';

/** Compiles one built-in step and runs it: what a pipeline does, minus the spec. For tests and docs. */
export function runStep(name: string, args: Record<string, unknown>, value: unknown, record: unknown = {}): unknown {
  const fn = BUILTIN_FUNCTIONS[name];
  if (!fn) throw new Error(`no built-in ${name}`);
  return fn.compile(fn.args.parse(args), tools)(value, record);
}
