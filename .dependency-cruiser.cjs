// Enforces the dependency direction of ARCHITECTURE.md:
// domain <- store, vault, transform <- services <- api, cli <- main.
const services = '(tenancy|queue|connections|http-client|connectors|webhooks|sync|events|files|observability|cache|catalog)';
module.exports = {
  forbidden: [
    { name: 'domain-imports-nothing-internal', severity: 'error',
      from: { path: '^src/domain/' }, to: { path: '^src/(?!domain/)' } },
    { name: 'foundation-not-upward', severity: 'error',
      from: { path: '^src/(store|vault|transform)/' },
      to: { path: `^src/(${services.slice(1, -1)}|api|cli|main\\.ts)` } },
    { name: 'services-not-upward', severity: 'error',
      from: { path: `^src/${services}/` }, to: { path: '^src/(api|cli|main\\.ts)' } },
    { name: 'api-not-cli', severity: 'error',
      from: { path: '^src/api/' }, to: { path: '^src/(cli|main\\.ts)' } },
    { name: 'connectors-independent', severity: 'error',
      from: { path: '^src/connectors/([^/]+)/' },
      to: { path: '^src/connectors/([^/]+)/', pathNot: '^src/connectors/$1/' } },
    { name: 'config-read-at-the-root-only', severity: 'error',
      from: { path: '^src/', pathNot: '^src/(config|cli|main\\.ts|api/test-helpers)' }, to: { path: '^src/config/' } },
    { name: 'src-not-sandbox', severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' }, to: { path: '^sandbox/' } },
    { name: 'sandbox-not-src', severity: 'error',
      from: { path: '^sandbox/' }, to: { path: '^src/' } },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
