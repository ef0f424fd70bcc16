// Merged underneath @ks-console/bootstrap's base config (console-local.md §3.2): the base config aliases
// `react/jsx-runtime` to `react/jsx-runtime.js`, which React 18.3's `exports` map hides from `.mjs` importers,
// so alias those *targets* to the files themselves.
/* eslint-disable @typescript-eslint/no-require-imports */
const path = require('path');

const react = path.dirname(require.resolve('react/package.json'));

module.exports = {
  resolve: {
    alias: {
      'react/jsx-runtime.js': path.join(react, 'jsx-runtime.js'),
      'react/jsx-dev-runtime.js': path.join(react, 'jsx-dev-runtime.js'),
    },
  },
};
