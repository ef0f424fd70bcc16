// A browser-like global scope for component tests: jsdom's window, document and friends as globals, installed
// before react-dom and Testing Library load (both read `window` / `document` when their modules are evaluated), so a
// component test imports this module first. Lives under testing/: no extension entry imports it, so no bundle holds it.
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>', {
  url: 'http://console.test/',
  pretendToBeVisual: true,
});
const { window } = dom;

// Everything a component or its libraries reach for as a bare global. Node already has its own URL, fetch,
// AbortController and timers; the DOM's constructors come from the window.
const names = Object.getOwnPropertyNames(window).filter(
  (name) => !(name in globalThis) && !name.startsWith('_') && name !== 'undefined',
);
for (const name of names) {
  Object.defineProperty(globalThis, name, {
    configurable: true,
    get: () => (window as unknown as Record<string, unknown>)[name],
  });
}
// React's act() warns unless the environment says it is a test.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

// jsdom lays nothing out, so it has no ResizeObserver; charts (recharts' ResponsiveContainer) create one to learn
// their size. This one is told nothing, which is what jsdom would report: a size of 0, no resize ever.
class NoLayoutResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
(globalThis as { ResizeObserver?: unknown }).ResizeObserver ??= NoLayoutResizeObserver;
