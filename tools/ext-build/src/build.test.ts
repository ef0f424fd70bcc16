// Builds every extension and loads each bundle the way the console does (SystemJS `System.register`, externals
// resolved from the import map), then checks its default export: routes under a console layout, menus at
// mount points KubeSphere 4.2 still has, en/zh locales; and that nothing but the console's modules is external.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildExtension, listExtensions } from './cli.js';
import { CONSOLE_EXTERNALS } from './config.js';

interface SystemModule {
  setters: ((module: unknown) => void)[];
  execute: () => void;
}
type Declare = (
  exportFn: (name: string | Record<string, unknown>, value?: unknown) => void,
  context: unknown,
) => SystemModule;

/** Stand-ins for the console's shared modules: enough for the bundle's top level to run. */
function stubModule(name: string): Record<string, unknown> {
  const component = () => null;
  const anything: Record<string, unknown> = new Proxy({}, { get: () => component });
  if (name === 'react') {
    const react = { createElement: (...args: unknown[]) => ({ args }), Fragment: 'Fragment' };
    return { ...react, default: react };
  }
  if (name === 'styled-components') {
    const styled = new Proxy(() => null, { get: () => () => component, apply: () => () => component });
    return { default: styled };
  }
  return anything;
}

function loadBundle(file: string): { deps: string[]; exports: Record<string, unknown> } {
  let registered: { deps: string[]; declare: Declare } | undefined;
  const System = { register: (deps: string[], declare: Declare) => void (registered = { deps, declare }) };
  new Function('System', readFileSync(file, 'utf8'))(System);
  assert.ok(registered, 'the bundle calls System.register');
  const exports: Record<string, unknown> = {};
  const module = registered.declare(
    (name, value) => {
      if (typeof name === 'string') exports[name] = value;
      else Object.assign(exports, name);
    },
    {
      meta: { url: 'http://127.0.0.1/pstatic/dist/x/index.js' },
      import: () => Promise.reject(new Error('no')),
    },
  );
  registered.deps.forEach((dep, i) => module.setters[i]?.(stubModule(dep)));
  module.execute();
  return { deps: registered.deps, exports };
}

const extensions = listExtensions();
// The console renders a menu icon as the @kubed/icons component named like the icon ("gpu-duotone" → GpuDuotone)
// and throws "Icon with name: … was not found!" otherwise, which blanks the whole navigation.
const kubedIcons = createRequire(import.meta.url)('@kubed/icons') as Record<string, unknown>;
const iconComponent = (name: string) =>
  name.slice(0, 1).toUpperCase() + name.slice(1).replace(/-(.)/g, (_, c: string) => c.toUpperCase());

test('there is one extension per feature', () => {
  assert.deepEqual(extensions, ['cmdb-alerting', 'gpu-monitoring', 'gpu-quota', 'ml-apps']);
});

for (const feature of extensions) {
  test(`${feature}: one SystemJS module exporting { routes, menus, locales }`, async () => {
    const built = await buildExtension(feature);
    assert.ok(built.gzipBytes < 80 * 1024, `gzip size ${built.gzipBytes} B is over the 80 KB budget`);
    const { deps, exports } = loadBundle(built.file);
    for (const dep of deps) {
      assert.ok(
        (CONSOLE_EXTERNALS as readonly string[]).includes(dep),
        `${dep} is external but not a console module`,
      );
    }
    const ext = exports.default as {
      routes: { path: string; parentRoute: string }[];
      menus: {
        parent: string;
        name: string;
        title: string;
        icon?: string;
        authKey?: string;
        skipAuth?: boolean;
      }[];
      locales: { en: Record<string, string>; zh: Record<string, string> };
    };
    assert.ok(ext, 'default export');
    assert.ok(ext.routes.length > 0);
    for (const route of ext.routes) {
      assert.match(route.parentRoute, /^\/(clusters\/:cluster|workspaces\/:workspace)$/);
      assert.ok(route.path.startsWith(`${route.parentRoute}/${feature}`), route.path);
    }
    assert.ok(ext.menus.length > 0);
    for (const menu of ext.menus) {
      assert.ok(
        !['topbar', 'project'].includes(menu.parent),
        `menu parent "${menu.parent}" is gone in KubeSphere 4.2`,
      );
      // The console links a menu to `<layout>/<name>`, so the name is a route's path below the layout.
      assert.match(
        menu.name,
        new RegExp(`^${feature}(/[a-z-]+)?$`),
        'the menu name is the route below the layout',
      );
      assert.ok(
        ext.routes.some((r) => r.path === `${r.parentRoute}/${menu.name}`),
        `menu ${menu.name} leads to a route`,
      );
      // Either the feature's RoleTemplates decide (authKey), or the entry is for everyone in the layout and its page
      // asks before it offers anything (docs/adr/0020).
      if (!menu.skipAuth) assert.equal(menu.authKey, feature);
      else assert.equal(menu.authKey, undefined);
      assert.ok(
        menu.icon && kubedIcons[iconComponent(menu.icon)],
        `menu icon "${menu.icon}" is not in @kubed/icons`,
      );
      assert.ok(
        ext.locales.en[menu.title] && ext.locales.zh[menu.title],
        `menu title ${menu.title} translated`,
      );
    }
    assert.ok(
      Object.keys(ext.locales.en).some((k) => k.startsWith('ui.')),
      'shared UI strings merged in',
    );
  });
}
