// ESLint flat config: typescript-eslint's recommended rules, Prettier owns formatting.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import { readdirSync } from 'node:fs';

// ---- boundaries (docs/adr/0018) ---------------------------------------------------------------------------
// The layers import one way: contracts ← backend (shared ← clients ← core ← features) and contracts ← extensions.
// These rules keep the loops and cross-links the issue #13 found from coming back.

/** backend/src/features/<name>/ folders that are product features; `platform` serves the platform.ks-gpu-ml.io group. */
const backendFeatures = readdirSync(new URL('./backend/src/features/', import.meta.url), {
  withFileTypes: true,
})
  .filter((entry) => entry.isDirectory() && entry.name !== 'platform')
  .map((entry) => entry.name);

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
/** A path segment, so it also catches the package `@ks-gpu-ml/<folder>`. */
const fromFolder = (folder, message) => ({ regex: `(^|/)${folder}(/|$)`, message });
const fromPackage = (name, message) => ({ group: [name, `${name}/**`], message });

const boundaries = [
  // A feature reaches another one's facts only through FeatureDeps, handed in by the composition root.
  ...backendFeatures.map((feature) => ({
    files: [`backend/src/features/${feature}/**`],
    rules: restrict([
      ...backendFeatures
        .filter((other) => other !== feature)
        .map((other) => ({
          regex: `^(\\.\\./)+(features/)?${other}(/|$)`,
          message:
            'features never import each other: share through FeatureDeps (backend/src/features/feature.ts)',
        })),
      {
        regex: '^\\.\\.(/|/index(\\.js)?)?$',
        message: 'the registry imports the features, not the other way: import ../feature.js',
      },
    ]),
  })),
  {
    files: ['backend/src/clients/**'],
    rules: restrict([fromFolder('features', 'clients are I/O only: they never import a feature')]),
  },
  // The errors and caches every layer uses live in shared/, so clients need nothing of the core (docs/adr/0023).
  // Tests are left out: a client's test may check how the core's logger writes the client's errors.
  {
    files: ['backend/src/clients/**'],
    ignores: ['**/*.test.ts'],
    rules: restrict([
      fromFolder('features', 'clients are I/O only: they never import a feature'),
      fromFolder(
        'core',
        'clients never import the core: shared errors and caches are in backend/src/shared/',
      ),
    ]),
  },
  // I/O only in clients/: a feature takes the client library's types, never its values (docs/adr/0023).
  {
    files: ['backend/src/features/**'],
    ignores: ['**/*.test.ts', '**/test-*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@kubernetes/client-node', 'axios', 'node:http', 'node:https', 'node:net'],
              allowTypeImports: true,
              message: 'features do no I/O: call a client in backend/src/clients/ (types are fine)',
            },
            {
              regex: '(^|/)clients/kube-cache(\\.js)?$',
              message: 'features never open a watch: ask a client (one watch per kind per process)',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['backend/src/shared/**'],
    rules: restrict(
      ['clients', 'core', 'features'].map((layer) =>
        fromFolder(layer, 'shared/ is the leaf every backend layer imports: it imports none of them'),
      ),
    ),
  },
  {
    files: ['extensions/**'],
    rules: restrict([
      fromFolder('backend', 'extensions speak to the backend over HTTP through contracts, never by import'),
    ]),
  },
  {
    files: ['contracts/**'],
    rules: restrict([
      fromFolder('backend', 'contracts import nothing from the backend: it depends on them'),
      fromFolder('extensions', 'contracts import nothing from the extensions: they depend on them'),
      fromPackage('@ks-gpu-ml/ui', 'contracts import nothing from the extensions'),
      fromPackage('@ks-gpu-ml/ext-*', 'contracts import nothing from the extensions'),
    ]),
  },
];

const bareAssertMessage =
  'give assert a message or use assert.equal/deepEqual: without one, node:assert parses the test file to word ' +
  'the failure, and under tsx that parse can hang the test (and starve a waitFor)';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.sandbox/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  { languageOptions: { globals: { ...globals.node } } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  ...boundaries,
  // A failing assert.ok(x)/assert(x) with no message makes node:assert re-read the test file and parse it with
  // acorn to word its message; under tsx the line/column are the transpiled code's, so the parse runs synchronously
  // for minutes and starves the timers a polling waitFor needs (the ServingPage 600 s hang, commit 4ca01b0).
  {
    // Component tests only for now: they poll with waitFor, where the hang happens; ~257 bare asserts remain in .ts tests.
    files: ['**/*.test.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.object.name='assert'][callee.property.name='ok'][arguments.length=1]",
          message: bareAssertMessage,
        },
        { selector: "CallExpression[callee.name='assert'][arguments.length=1]", message: bareAssertMessage },
      ],
    },
  },
);
