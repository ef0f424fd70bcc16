// Renders a page as the console would mount it: the real @kubed/components theme (KubedConfigProvider), a fresh
// react-query client, and a router at the page's URL so `useParams` sees the same parameters. Import
// testing/dom.js before this module (react-dom needs `window` when it loads).
import React from 'react';
import { cleanup, configure, render, type RenderResult } from '@testing-library/react';
import { KubedConfigProvider } from '@kubed/components';
import { QueryClient, QueryClientProvider } from 'react-query';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { interpolate, type Locales, type TranslateOptions } from '../i18n.js';

// findBy* / waitFor give up after 1 s by default; on a loaded 2-core machine a first render can take longer.
// This bounds how long a test waits for what it asserts, it is not a timing goal.
configure({ asyncUtilTimeout: 10_000 });

const clients: QueryClient[] = [];

/** Mounts `element` under `path` (a route pattern such as `/workspaces/:workspace/gpu-quota`) at URL `at`. */
export function renderPage(
  element: React.ReactElement,
  { path, at }: { path: string; at: string },
): RenderResult {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  clients.push(client);
  return render(
    <KubedConfigProvider>
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[at]}>
          <Routes>
            <Route path={path} element={element} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </KubedConfigProvider>,
  );
}

/** Mounts a part that needs no route of its own (a table, a picker) as a page would hold it. */
export const renderPart = (element: React.ReactElement): RenderResult =>
  renderPage(element, { path: '*', at: '/' });

/** Unmounts every page and drops the query caches (their timers would keep the test process alive). */
export function cleanupPages(): void {
  cleanup();
  for (const client of clients.splice(0)) client.clear();
}

/** Speaks English through the console's global `t`, as the console does with the bundle's dictionaries. */
export function speakEnglish(locales: Locales): void {
  (globalThis as { t?: unknown }).t = (key: string, options?: TranslateOptions) =>
    interpolate(locales.en[key] ?? key, options);
}
