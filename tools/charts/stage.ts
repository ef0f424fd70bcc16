// Assembles an installable chart from the repository, as `ksbuilder package` does and more: charts/<feature>/ as
// written, the templates every extension shares (charts/_common), Chart.yaml files generated from extension.yaml,
// the console bundle (extensions/<feature>/dist/index.js) and the screenshots (docs/images). The packages, the
// chart tests and the real installs all use this one assembly.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { chartYaml, metadataProblems, readExtension, subchartYaml } from './extension.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const chartsDir = join(repoRoot, 'charts');
const commonDir = join(chartsDir, '_common');

/** The features that have a package: a folder under charts/ with an extension.yaml. */
export function packagedFeatures(): string[] {
  return readdirSync(chartsDir)
    .filter((name) => !name.startsWith('_') && existsSync(join(chartsDir, name, 'extension.yaml')))
    .sort();
}

/** Screenshots come from the README's images, so the package and the docs show the same pictures. */
const screenshotSource = (name: string) => join(repoRoot, 'docs/images', `console-${name}`);

const writeYaml = (file: string, value: unknown) => writeFileSync(file, stringify(value, { lineWidth: 0 }));

function inlineIcon(chartDir: string, icon: string): string {
  if (/^(https?:|data:image)/.test(icon)) return icon;
  const type = icon.endsWith('.svg') ? 'image/svg+xml' : 'image/png';
  return `data:${type};base64,${readFileSync(join(chartDir, icon)).toString('base64')}`;
}

/**
 * Writes `<outRoot>/<feature>/`, a chart Helm can lint, template, install and package; returns its path.
 * Throws naming every problem of extension.yaml, and when the console bundle was not built.
 */
export function stageChart(feature: string, outRoot: string): string {
  const source = join(chartsDir, feature);
  const out = join(outRoot, feature);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(outRoot, { recursive: true });
  cpSync(source, out, { recursive: true });
  cpSync(join(commonDir, 'extension'), out, { recursive: true });

  const meta = readExtension(source);
  for (const shot of meta.screenshots ?? []) {
    const target = join(out, shot);
    const from = screenshotSource(shot.split('/').pop()!);
    if (!existsSync(target) && existsSync(from)) {
      mkdirSync(join(target, '..'), { recursive: true });
      cpSync(from, target);
    }
  }
  const problems = metadataProblems(meta, out);
  if (meta.name !== feature) problems.push(`name: "${meta.name}" must be the folder's name "${feature}"`);
  if (problems.length) throw new Error(`charts/${feature}/extension.yaml:\n  ${problems.join('\n  ')}`);

  writeYaml(join(out, 'Chart.yaml'), { ...chartYaml(meta), icon: inlineIcon(out, meta.icon) });
  for (const dep of meta.dependencies ?? []) {
    const sub = join(out, 'charts', dep.name);
    mkdirSync(join(sub, 'templates'), { recursive: true });
    cpSync(join(commonDir, dep.name), sub, { recursive: true });
    writeYaml(join(sub, 'Chart.yaml'), subchartYaml(meta, dep.name));
  }
  if ((meta.dependencies ?? []).some((d) => d.name === 'frontend')) {
    const bundle = join(repoRoot, 'extensions', feature, 'dist/index.js');
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build first`);
    mkdirSync(join(out, 'charts/frontend/bundle'), { recursive: true });
    cpSync(bundle, join(out, 'charts/frontend/bundle/index.js'));
  }
  return out;
}
