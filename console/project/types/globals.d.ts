// The console project compiles no extension sources of its own (our extensions are built by tools/ext-build
// and loaded as JSBundles); this file only gives the build's type checker an input.
declare const globals: Record<string, unknown>;
