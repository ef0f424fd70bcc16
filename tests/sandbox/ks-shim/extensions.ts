// How the console discovers and loads extensions: the JSBundle / ExtensionEntry / Extension lists (read as the
// shim, so every user sees them) and GET /dist/<ext>/<file>, from --dist-dir or from a JSBundle's script.
import { createReadStream, existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { notFound, sendJson, sendStatus } from './errors.js';
import type { KubeClient } from './kube.js';
import type { List, Obj } from './kube-reads.js';
import { EXTENSION_REF, distJsBundle, emptyList } from './platform.js';
import type { Handler } from './request-context.js';
import type { RouteTable } from './routing.js';

const JSBUNDLES = '/apis/extensions.kubesphere.io/v1alpha1/jsbundles';

const contentTypes: Record<string, string> = {
  '.js': 'application/javascript',
  '.mjs': 'application/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export const contentTypeOf = (file: string): string =>
  contentTypes[extname(file)] ?? 'application/octet-stream';

/**
 * The file `/dist/<rel>` names inside `distDir`, or undefined when it is missing, not a file, or would leave
 * the directory (`..`, a symlink pointing out, a malformed %-escape).
 */
export function distFile(distDir: string, rel: string): string | undefined {
  let file: string;
  try {
    file = resolve(distDir, decodeURIComponent(rel));
  } catch {
    return undefined;
  }
  const inside =
    file.startsWith(distDir + sep) &&
    existsSync(file) &&
    statSync(file).isFile() &&
    realpathSync(file).startsWith(realpathSync(distDir) + sep);
  return inside ? file : undefined;
}

type Bundle = Obj & {
  status?: { link?: string };
  spec?: { raw?: string; rawFrom?: { configMapKeyRef?: { name: string; key: string; namespace: string } } };
};

/** The script of the JSBundle whose status.link is `link`, inline (spec.raw) or from its ConfigMap. */
async function bundleScript(kube: KubeClient, link: string): Promise<Buffer | undefined> {
  const bundles = (await kube.get<List<Bundle>>(JSBUNDLES))?.items ?? [];
  const bundle = bundles.find((b) => b.status?.link === link);
  if (bundle?.spec?.raw) return Buffer.from(bundle.spec.raw, 'base64');
  const ref = bundle?.spec?.rawFrom?.configMapKeyRef;
  if (!ref) return undefined;
  const cm = await kube.get<{ data?: Record<string, string> }>(
    `/api/v1/namespaces/${ref.namespace}/configmaps/${ref.name}`,
  );
  const text = cm?.data?.[ref.key];
  return text === undefined ? undefined : Buffer.from(text);
}

export function extensionRoutes(kube: KubeClient, distDir: string | undefined): RouteTable {
  /** The cluster's JSBundles plus one per `<distDir>/<ext>/index.js` that no JSBundle covers. */
  async function jsBundles(): Promise<Record<string, unknown>> {
    const list = (await kube.get<Record<string, unknown> & List<Record<string, unknown> & Obj>>(
      JSBUNDLES,
    )) ?? {
      ...emptyList('extensions.kubesphere.io/v1alpha1', 'JSBundleList'),
      items: [],
    };
    if (distDir && existsSync(distDir)) {
      const covered = new Set(list.items.map((b) => b.metadata.labels?.[EXTENSION_REF]));
      for (const ext of readdirSync(distDir).sort()) {
        const index = join(distDir, ext, 'index.js');
        if (!covered.has(ext) && existsSync(index)) {
          list.items.push(
            distJsBundle(ext, String(Math.floor(statSync(index).mtimeMs))) as Record<string, unknown> & Obj,
          );
        }
      }
    }
    return list;
  }

  /** A KubeSphere kind read from the cluster, an empty list when its CRD is not installed. */
  const kindList =
    (path: string, apiVersion: string, kind: string): Handler =>
    async (ctx) =>
      sendJson(ctx.res, 200, (await kube.get(path)) ?? emptyList(apiVersion, kind));

  return [
    ['GET', JSBUNDLES, async (ctx) => sendJson(ctx.res, 200, await jsBundles())],
    [
      'GET',
      '/apis/extensions.kubesphere.io/v1alpha1/extensionentries',
      kindList(
        '/apis/extensions.kubesphere.io/v1alpha1/extensionentries',
        'extensions.kubesphere.io/v1alpha1',
        'ExtensionEntryList',
      ),
    ],
    [
      'GET',
      '/apis/kubesphere.io/v1alpha1/extensions',
      kindList('/apis/kubesphere.io/v1alpha1/extensions', 'kubesphere.io/v1alpha1', 'ExtensionList'),
    ],
  ];
}

/** GET /dist/<ext>/<file>: public, like the console's static files. */
export function distHandler(kube: KubeClient, distDir: string | undefined): Handler {
  return async (ctx) => {
    const file = distDir ? distFile(distDir, ctx.url.pathname.replace(/^\/dist\//, '')) : undefined;
    if (file) {
      ctx.res.writeHead(200, {
        'content-type': contentTypeOf(file),
        'content-length': statSync(file).size,
        'cache-control': 'no-cache',
      });
      createReadStream(file).pipe(ctx.res);
      return;
    }
    const script = await bundleScript(kube, ctx.url.pathname);
    if (!script) return sendStatus(ctx.res, notFound());
    ctx.res.writeHead(200, { 'content-type': 'application/javascript', 'content-length': script.length });
    ctx.res.end(script);
  };
}
