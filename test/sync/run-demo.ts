/** Runs `switchyard demo` as its command does (the CLI entry registers it with registerDemoCommand). */
import { runDemo } from '../../src/cli/demo.ts';

await runDemo(Number(process.argv[2] ?? 8));
process.exit(0);
