import { Command } from 'commander';
import { registerSandboxCommand } from '../../src/cli/sandbox.ts';

/** Stands in for src/cli/main.ts in tests: a program with only the sandbox command. */
const program = new Command().name('switchyard');
registerSandboxCommand(program);
program.exitOverride((err) => process.exit(err.exitCode || 1));
await program.parseAsync(process.argv);
