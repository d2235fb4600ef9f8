import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config/load.ts';
import { VERSION } from '../main.ts';
import { fail } from './fail.ts';
import { ROLES, start, type Role } from './start.ts';
import { registerAdminCommands } from './admin.ts';
import { registerSandboxCommand } from './sandbox.ts';
import { registerDemoCommand } from './demo.ts';

const program = new Command()
  .name('switchyard')
  .description('Self-hosted integration hub')
  .version(VERSION)
  .option('-c, --config <file>', 'config file (YAML or JSON); env overrides it')
  .showHelpAfterError(false);

const config = () => loadConfig({ file: program.opts<{ config?: string }>().config });

program.command('start')
  .description('run the hub (API and, later, workers and scheduler)')
  .option('--role <role>', 'all | api | worker | scheduler', (v) => {
    if (!(ROLES as readonly string[]).includes(v)) throw new InvalidArgumentError(`use one of ${ROLES.join(', ')}`);
    return v as Role;
  }, 'all')
  .action(async (opts: { role: Role }) => start(config(), opts.role));

registerAdminCommands(program, config);
registerSandboxCommand(program);
registerDemoCommand(program);

program.exitOverride((err) => {
  if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') process.exit(0);
  process.exit(err.exitCode || 1);
});

program.parseAsync(process.argv).catch(fail);
