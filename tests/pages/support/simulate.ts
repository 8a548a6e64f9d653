/**
 * miniprogram-simulate, typed by hand for what the page tests use.
 *
 * Why not `import simulate from 'miniprogram-simulate'`: its typings import j-component's private
 * copy of miniprogram-api-typings 3.x, whose global `require`/`wx` declarations replace Node's in the
 * whole tests program (`require.resolve` and `require.main` stop type-checking in local/ and
 * scripts/). The tests tsconfig also has no DOM lib, so the few DOM shapes we touch are listed here.
 */

/** The DOM of a rendered page, as far as the tests read and touch it. */
export interface DomNode {
  readonly nodeType: number;
  readonly nodeValue: string | null;
  readonly childNodes: ArrayLike<DomNode>;
}

export interface DomElement extends DomNode {
  readonly tagName: string;
  readonly textContent: string | null;
  readonly children: ArrayLike<DomElement>;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  appendChild(child: DomElement): void;
  dispatchEvent(event: unknown): boolean;
}

/** A component rendered by miniprogram-simulate (j-component's Component/RootComponent). */
export interface Rendered {
  readonly dom: DomElement;
  readonly data: Record<string, unknown>;
  readonly instance: Record<string, unknown>;
  querySelector(selector: string): Rendered | undefined;
  dispatchEvent(eventName: string, options?: { detail?: unknown }): void;
  attach(parent: DomElement): void;
  detach(): void;
}

export interface Simulate {
  load(componentPath: string, tagName: string, options?: { rootPath?: string; usingComponents?: Record<string, string> }): string;
  render(id: string, properties?: Record<string, unknown>): Rendered;
  sleep(ms?: number): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const simulate = require('miniprogram-simulate') as Simulate;

/** jsdom's globals, typed as far as the tests use them. */
interface TouchInit {
  identifier: number;
  target: DomElement;
  pageX: number;
  pageY: number;
  clientX: number;
  clientY: number;
}

export const dom = globalThis as unknown as {
  document: { createElement(tag: string): DomElement; body: DomElement };
  Touch: new (init: TouchInit) => unknown;
  TouchEvent: new (
    type: string,
    init: { bubbles: boolean; cancelable: boolean; touches: unknown[]; changedTouches: unknown[] },
  ) => unknown;
};
