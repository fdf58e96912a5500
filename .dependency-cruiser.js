// The layers of docs/ARCHITECTURE.md, checked by `npm run lint` (depcruise); src/layers.test.ts proves each rule bites.

/** Node modules that reach files, the network or other processes: none of them in the pure layers. */
const nodeIo =
  '^(node:)?(fs|fs/promises|http|https|http2|net|tls|dgram|dns|dns/promises|child_process|cluster|worker_threads|readline|readline/promises|repl|inspector)$';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle means two modules are one concern, or a third module is missing: split or move code.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'pure-layers-import-no-outer-layer',
      severity: 'error',
      comment: 'tenancy/ and api/ are the pure core: they know no cluster client, controller, portal, CLI or tooling.',
      from: { path: '^src/(tenancy|api)/' },
      to: { path: '^src/(kube|operator|portal|dev|cli|audit|git|integrations)/' },
    },
    {
      name: 'pure-layers-do-no-io',
      severity: 'error',
      comment:
        'tenancy/ and api/ compute; reading and writing belong to the layers around them (tests may read fixtures).',
      from: {
        path: '^src/(tenancy|api)/',
        // crd.ts reads tenant-crd.yaml once at load: the CRD file is the API's single source of truth.
        pathNot: ['^src/api/crd\\.ts$', '\\.test\\.ts$'],
      },
      to: { dependencyTypes: ['core'], path: nodeIo },
    },
    {
      name: 'kube-knows-no-tenant',
      severity: 'error',
      comment: 'kube/ talks to any API server about any object; tenants and what is built on them live above it.',
      from: { path: '^src/kube/' },
      to: { path: '^src/(api|tenancy|operator|portal|audit|dev|cli|integrations)/' },
    },
    {
      name: 'integrations-import-no-operator',
      severity: 'error',
      comment:
        'integrations/ reach what lies outside the tenant model (where nodes come from) for the operator: they may ' +
        'use kube/, tenancy/ and api/, never the operator, the portal or the CLI, so a provider is one more file.',
      from: { path: '^src/integrations/' },
      to: { path: '^src/(operator|portal|cli|audit)/' },
    },
    {
      name: 'only-the-cli-reaches-dev',
      severity: 'error',
      comment:
        'dev/ is the local environment: the product never needs it, and a production install lacks its packages.',
      from: { path: '^src/', pathNot: '^src/(cli|dev)/' },
      to: { path: '^src/dev/' },
    },
    {
      name: 'cli-reaches-dev-lazily',
      severity: 'error',
      comment:
        'The CLI loads dev/ inside its dev actions and local fallbacks (await import()), so production commands ' +
        'run without the packages only the local environment needs.',
      from: { path: '^src/cli/' },
      to: { path: '^src/dev/', dependencyTypesNot: ['dynamic-import'] },
    },
    {
      name: 'product-needs-no-dev-dependency',
      severity: 'error',
      comment: 'A production install (npm ci --omit=dev) lacks devDependencies: the product must not load them.',
      from: {
        path: '^src/',
        // generate-types.ts runs only under `npm run generate` and its unit test: a tool, not the product.
        pathNot: ['^src/dev/', '\\.test\\.ts$', '^src/api/generate-types\\.ts$'],
      },
      // Types-only packages (kubernetes-types) resolve to .d.ts files: nothing of them is loaded at run time.
      to: { dependencyTypes: ['npm-dev'], pathNot: '\\.d\\.ts$' },
    },
    {
      name: 'portal-imports-no-operator',
      severity: 'error',
      comment: 'The portal and the operator are separate programs; what both need lives in tenancy/, api/ or kube/.',
      from: { path: '^src/portal/' },
      to: { path: '^src/operator/' },
    },
    {
      name: 'operator-imports-no-portal',
      severity: 'error',
      comment: 'The portal and the operator are separate programs; what both need lives in tenancy/, api/ or kube/.',
      from: { path: '^src/operator/' },
      to: { path: '^src/portal/' },
    },
    {
      name: 'web-imports-only-api-from-src',
      severity: 'error',
      comment:
        "The browser bundle may share the Tenant API and the portal's answer shapes, nothing else of the server.",
      from: { path: '^web/src/' },
      to: { path: '^src/', pathNot: '^src/(api|portal)/' },
    },
    {
      name: 'web-imports-only-types-from-server',
      severity: 'error',
      // dependency-cruiser 18.7.2 also calls `import x, { type T }` type-only; api/ has no default export to import so.
      // The exception is pure and Node-free (src/portal/web-ui-imports.test.ts holds it so): the form's hints in words.
      comment: 'Types only: server code (Ajv, the CRD file, Fastify) is not meant for the browser bundle.',
      from: { path: '^web/src/' },
      to: {
        path: '^src/',
        pathNot: '^src/api/(allowed-in-words|patterns-in-words|structural-schema)[.]ts$',
        dependencyTypesNot: ['type-only'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Files that break the rules on purpose, to prove the check fails (src/layers.test.ts).
    exclude: { path: '^test/fixtures/layers/' },
    // Type-only imports count: a cycle or a layer crossed by types is still a design error.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
