// Node module hooks for component tests (registered by register.mjs, which scripts/run-tests.mjs imports). They
// resolve two imports of our extension code the way the extension bundle does, where Node alone would not:
// - `@ks-console/shared` → the stand-in in console-shared.ts (why: there);
// - `styled-components` → styled-components.mjs, the ES-module default over the CommonJS build (why: there).
const standIns = {
  '@ks-console/shared': new URL('./console-shared.ts', import.meta.url).href,
  'styled-components': new URL('./styled-components.mjs', import.meta.url).href,
};

export async function resolve(specifier, context, nextResolve) {
  const standIn = standIns[specifier];
  const fromOurCode = context.parentURL && !context.parentURL.includes('/node_modules/');
  // Resolved by the next hook (tsx) rather than short-circuited, so tsx also loads the TypeScript stand-in when a
  // test's first import of `@ks-console/shared` comes from extension code.
  if (standIn && fromOurCode && context.parentURL !== standIn) return nextResolve(standIn, context);
  return nextResolve(specifier, context);
}
