// The webpack configuration for one console extension: `extensions/<feature>/src/index.ts` → ONE SystemJS
// module `extensions/<feature>/dist/index.js` whose default export is `{ routes, menus, locales }`.
// Type-checking is `tsc -b`; here esbuild only strips types and transforms JSX (classic runtime, because the
// console's import map has `react` but no `react/jsx-runtime`).
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EsbuildPlugin } from 'esbuild-loader';
import type { Configuration } from 'webpack';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const require = createRequire(import.meta.url);

/**
 * What the console provides at runtime through its SystemJS import map (@ks-console/bootstrap `systemImports`);
 * the bundle must not contain them. Everything else is bundled.
 */
export const CONSOLE_EXTERNALS = [
  'react',
  'react-dom',
  'react-router-dom',
  'react-query',
  'styled-components',
  '@kubed/components',
  '@kubed/icons',
  '@kubed/hooks',
  '@kubed/charts',
  '@kubed/code-editor',
  '@ks-console/shared',
  'wujie-react',
] as const;

/** Imports that would smuggle a second copy of something the console owns into a bundle. */
const FORBIDDEN = /^(react\/jsx-(dev-)?runtime|react-dom\/.+|@kubed\/[^/]+\/.+|@ks-console\/(?!shared$).+)$/;

export interface BuildOptions {
  feature: string;
  /** Defaults to production (minified). */
  mode?: 'production' | 'development';
}

export function extensionDir(feature: string): string {
  return join(repoRoot, 'extensions', feature);
}

export function extensionConfig({ feature, mode = 'production' }: BuildOptions): Configuration {
  const dir = extensionDir(feature);
  return {
    name: feature,
    mode,
    context: dir,
    entry: { index: './src/index.ts' },
    target: ['web', 'es2020'],
    devtool: false,
    output: {
      path: join(dir, 'dist'),
      filename: '[name].js',
      library: { type: 'system' },
      clean: true,
    },
    resolve: {
      extensions: ['.ts', '.tsx', '.js', '.json'],
      // Our sources import './x.js' for './x.ts' (NodeNext style); let webpack find the TypeScript file.
      extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
      conditionNames: ['browser', 'import', 'module', 'default'],
    },
    externals: [
      ...CONSOLE_EXTERNALS,
      ({ request }, callback) => {
        if (request && FORBIDDEN.test(request)) {
          callback(
            new Error(
              `${feature}: "${request}" must not be bundled (the console provides it; import the package root)`,
            ),
          );
          return;
        }
        callback();
      },
    ],
    module: {
      // Each file as tsc reads it: .ts as TypeScript (where `<T>(x) =>` is a generic arrow), .tsx with JSX.
      rules: (['ts', 'tsx'] as const).map((loader) => ({
        test: new RegExp(`\\.${loader}$`),
        loader: require.resolve('esbuild-loader'),
        options: {
          loader,
          target: 'es2020',
          jsx: 'transform',
          jsxFactory: 'React.createElement',
          jsxFragment: 'React.Fragment',
          tsconfigRaw: { compilerOptions: { jsx: 'react' } },
        },
      })),
    },
    optimization: {
      minimize: mode === 'production',
      minimizer: [new EsbuildPlugin({ target: 'es2020', legalComments: 'none' })],
      // One file per extension: the console imports exactly `status.link`.
      splitChunks: false,
      runtimeChunk: false,
    },
    performance: { hints: false },
    stats: 'errors-warnings',
    infrastructureLogging: { level: 'error' },
  };
}

export function resolveFeatureDir(feature: string): string {
  return resolve(extensionDir(feature));
}
