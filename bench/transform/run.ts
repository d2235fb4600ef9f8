/**
 * Compiled Switchyard mapper vs JSONata on the same 10-field mapping, in the
 * same process. Prints records/s (median of several runs) and the ratio.
 *
 *   node bench/transform/run.ts [--records 1000000] [--jsonata-records 100000] [--runs 5]
 *
 * JSONata is slow enough that running it over the full count several times
 * would take many minutes, so by default it maps fewer records per run and its
 * records/s is measured on those (the rate is flat in the count: each record
 * is independent). The output says so whenever the counts differ.
 */
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import jsonata from 'jsonata';
import { compileMapping, type Mapper } from '../../src/transform/index.ts';
import { benchFunctions, jsonataExpression, makeRecords, mappingSpec, phoneDigits, type PhoneMode } from './fixtures.ts';

const { values } = parseArgs({ options: { records: { type: 'string', default: '1000000' }, 'jsonata-records': { type: 'string', default: '100000' }, runs: { type: 'string', default: '5' } } });
const RECORDS = Number(values.records);
const JSONATA_RECORDS = Math.min(Number(values['jsonata-records']), RECORDS);
const RUNS = Number(values.runs);
const pool = makeRecords(10_000);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function compiled(mode: PhoneMode): Mapper {
  const r = compileMapping(mappingSpec(mode), { functions: benchFunctions });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.mapper.forward;
}

function jsonataFor(mode: PhoneMode): jsonata.Expression {
  const expr = jsonata(jsonataExpression(mode));
  expr.registerFunction('phone', (s: string) => parsePhoneNumberFromString(s, { defaultCountry: 'US' })?.number, '<s:s>');
  expr.registerFunction('phoneDigits', phoneDigits, '<s:s>');
  return expr;
}

function runMapper(map: Mapper, n: number): number {
  let ok = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) if (map(pool[i % pool.length]).ok) ok++;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (ok !== n) throw new Error(`compiled mapper rejected ${n - ok} records`);
  return n / seconds;
}

async function runJsonata(expr: jsonata.Expression, n: number): Promise<number> {
  let ok = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) if ((await expr.evaluate(pool[i % pool.length])) !== undefined) ok++;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (ok !== n) throw new Error(`jsonata produced nothing for ${n - ok} records`);
  return n / seconds;
}

/** Both sides must compute the same thing, or the ratio means nothing. */
async function checkEquivalent(mode: PhoneMode): Promise<number> {
  const map = compiled(mode);
  const expr = jsonataFor(mode);
  for (const record of pool.slice(0, 2000)) {
    const ours = map(record);
    const theirs = await expr.evaluate(record);
    if (!ours.ok || !isDeepStrictEqual(ours.record, JSON.parse(JSON.stringify(theirs)))) {
      throw new Error(`outputs differ for ${JSON.stringify(record)}:\n ours ${JSON.stringify(ours)}\n jsonata ${JSON.stringify(theirs)}`);
    }
  }
  return 2000;
}

async function bench(mode: PhoneMode): Promise<void> {
  const checked = await checkEquivalent(mode);
  const map = compiled(mode);
  const expr = jsonataFor(mode);
  // Warm-up so both sides are measured optimised, not while the JIT is still compiling.
  runMapper(map, 50_000);
  await runJsonata(expr, 5_000);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    ours.push(runMapper(map, RECORDS));
    theirs.push(await runJsonata(expr, JSONATA_RECORDS));
  }
  const a = median(ours);
  const b = median(theirs);
  console.log(`\nphone normaliser: ${mode}  (outputs identical on ${checked} sampled records)`);
  console.log(`  compiled mapper  ${fmt(a).padStart(12)} records/s  (median of ${RUNS} runs x ${fmt(RECORDS)} records; runs: ${ours.map(fmt).join(', ')})`);
  console.log(`  jsonata          ${fmt(b).padStart(12)} records/s  (median of ${RUNS} runs x ${fmt(JSONATA_RECORDS)} records; runs: ${theirs.map(fmt).join(', ')})`);
  if (JSONATA_RECORDS < RECORDS) console.log(`  note: jsonata ran ${fmt(JSONATA_RECORDS)} records per run, not ${fmt(RECORDS)}; its rate is measured on those and extrapolated (est. ${(RECORDS / b).toFixed(1)} s per ${fmt(RECORDS)} records)`);
  console.log(`  ratio            ${(a / b).toFixed(1)}x  (target >= 20x)`);
}

console.log(`transform bench: node ${process.version}, 10-field mapping, pool of ${fmt(pool.length)} distinct records`);
const started = Date.now();
for (const mode of ['libphonenumber', 'digits'] as const) await bench(mode);
console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s`);
