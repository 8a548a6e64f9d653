/**
 * Opens the real pages of miniprogram/ the way WeChat does (render, attach, onLoad(query), onShow;
 * tab pages get their own custom tab bar) and reads them the way a person does: by their text.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dom, simulate, type DomElement, type DomNode, type Rendered } from './simulate';
import { platform } from './wechat';

export const MINIPROGRAM_ROOT = path.resolve(__dirname, '../../../miniprogram');

const appJson = JSON.parse(readFileSync(path.join(MINIPROGRAM_ROOT, 'app.json'), 'utf8')) as {
  tabBar: { list: { pagePath: string }[] };
};
const TAB_PAGES = appJson.tabBar.list.map((tab) => tab.pagePath);

// simulate runs a component's script with require(), which Jest caches: a second load of the same
// path (also as the child of another page) would register nothing. So every component is loaded
// exactly once per test file, children first, and later loads reuse the ids already registered.
const loaded = new Map<string, string>();
const mounted: Rendered[] = [];

function componentId(componentPath: string, tagName = 'main'): string {
  const known = loaded.get(componentPath);
  if (known) return known;
  const json = JSON.parse(readFileSync(path.join(MINIPROGRAM_ROOT, `${componentPath}.json`), 'utf8')) as {
    usingComponents?: Record<string, string>;
  };
  const children: Record<string, string> = {};
  for (const [tag, using] of Object.entries(json.usingComponents ?? {})) {
    const childPath = using.startsWith('/') ? using.slice(1) : path.posix.join(path.posix.dirname(componentPath), using);
    children[tag] = componentId(childPath, tag);
  }
  const id = simulate.load(path.join(MINIPROGRAM_ROOT, componentPath), tagName, { rootPath: MINIPROGRAM_ROOT, usingComponents: children });
  loaded.set(componentPath, id);
  return id;
}

function mount(componentPath: string): Rendered {
  const comp = simulate.render(componentId(componentPath));
  comp.attach(dom.document.createElement('parent-wrapper'));
  mounted.push(comp);
  return comp;
}

const TEXT_NODE = 3;

function textPieces(node: DomNode): string[] {
  if (node.nodeType === TEXT_NODE) return [node.nodeValue ?? ''];
  return Array.from(node.childNodes).flatMap(textPieces);
}

/** The text a person reads: separate elements stay separate words, whitespace collapsed. */
function readable(node: DomNode): string {
  return textPieces(node).join(' ').replace(/\s+/g, ' ').trim();
}

/** Polls until `condition` holds (the pages call the cloud asynchronously). */
export async function until(condition: () => boolean, describe: () => string): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    if (condition()) return;
    await simulate.sleep(5);
  }
  throw new Error(`gave up waiting: ${describe()}`);
}

export class Screen {
  constructor(readonly comp: Rendered) {}

  /** Everything a person can read, whitespace collapsed. */
  get text(): string {
    return readable(this.comp.dom);
  }

  shows(text: string): boolean {
    return this.text.includes(text);
  }

  async waitFor(text: string): Promise<void> {
    await until(
      () => this.shows(text),
      () => `"${text}" never appeared; the screen shows: ${this.text}`,
    );
  }

  /** A child component of this screen (e.g. `#member-card`), to read what its own template renders. */
  child(selector: string): Screen {
    const found = this.comp.querySelector(selector);
    if (!found) throw new Error(`no component matches ${selector}; the screen shows: ${this.text}`);
    return new Screen(found);
  }

  /** The text of one element (e.g. the invite code a person would copy). */
  textOf(selector: string): string {
    const found = this.comp.querySelector(selector);
    if (!found) throw new Error(`nothing matches ${selector}; the screen shows: ${this.text}`);
    return readable(found.dom);
  }

  /** A wxml attribute of the element matching `selector` (e.g. an `<image>`'s `src`), as j-component keeps it. */
  attrOf(selector: string, name: string): unknown {
    const found = this.comp.querySelector(selector);
    if (!found) throw new Error(`nothing matches ${selector}; the screen shows: ${this.text}`);
    const node = (found.dom as unknown as { __wxElement?: { _vt?: { attrs: { name: string; value: unknown }[] } } }).__wxElement;
    return node?._vt?.attrs.find((a) => a.name === name)?.value;
  }

  /** The one element labelled `label` (the innermost one carrying exactly that text). */
  private labelled(label: string): DomElement {
    const all = Array.from(this.comp.dom.querySelectorAll('*'));
    const labelled = (el: DomElement) => readable(el) === label;
    const targets = all.filter((el) => labelled(el) && !Array.from(el.children).some(labelled));
    if (targets.length !== 1) throw new Error(`expected one "${label}" to tap, found ${targets.length}; the screen shows: ${this.text}`);
    return targets[0];
  }

  /** Taps the one element labelled `label`, with a real touchstart/touchend pair. */
  async tap(label: string): Promise<void> {
    const target = this.labelled(label);
    const touch = new dom.Touch({ identifier: 1, target, pageX: 10, pageY: 10, clientX: 10, clientY: 10 });
    const event = (type: string, touches: unknown[]) =>
      new dom.TouchEvent(type, { bubbles: true, cancelable: true, touches, changedTouches: [touch] });
    platform.userGesture(() => {
      target.dispatchEvent(event('touchstart', [touch]));
      target.dispatchEvent(event('touchend', []));
    });
    await simulate.sleep(0);
  }

  /**
   * The built-in `<button>` labelled `label`: its wxml attributes (as j-component keeps them on the
   * node behind the DOM element) and a way to fire one of its events. Open-type buttons need an id.
   */
  private builtInButton(label: string): { openType: unknown; disabled: boolean; fire: (event: string, detail: unknown) => void } {
    const target = this.labelled(label);
    const node = (target as unknown as { __wxElement?: { id?: string; _vt?: { attrs: { name: string; value: unknown }[] } } }).__wxElement;
    if (target.tagName !== 'WX-BUTTON' || !node?._vt) throw new Error(`"${label}" is not a <button>`);
    const attrs = new Map(node._vt.attrs.map((a) => [a.name, a.value]));
    const id = node.id;
    if (!id) throw new Error(`give the button "${label}" an id: the harness fires its events by id`);
    return {
      openType: attrs.get('openType'),
      disabled: attrs.get('disabled') === true || attrs.get('disabled') === 'true',
      fire: (event, detail) => this.comp.querySelector(`#${id}`)?.dispatchEvent(event, { detail }),
    };
  }

  /**
   * Taps the `<button open-type="getPhoneNumber">` labelled `label`: WeChat opens its phone-number
   * sheet (answered as `platform.willSharePhone()` says) and hands the answer to `bindgetphonenumber`.
   * A disabled button does nothing, as on a phone. Returns whether the sheet opened.
   */
  async tapPhoneButton(label: string): Promise<boolean> {
    const button = this.builtInButton(label);
    if (button.openType !== 'getPhoneNumber') throw new Error(`"${label}" is not a getPhoneNumber button`);
    if (button.disabled) return false;
    button.fire('getphonenumber', platform.phoneSheet());
    await simulate.sleep(0);
    return true;
  }

  /** Taps the `<button open-type="chooseAvatar">` labelled `label` and picks the photo `platform.willChooseAvatar()` set. */
  async chooseAvatar(label: string): Promise<void> {
    const button = this.builtInButton(label);
    if (button.openType !== 'chooseAvatar') throw new Error(`"${label}" is not a chooseAvatar button`);
    if (button.disabled) return;
    button.fire('chooseavatar', platform.avatarSheet());
    await simulate.sleep(0);
  }

  /** Picks `value` in the `<picker>` matching `selector` (a date picker: YYYY-MM-DD), as WeChat reports it. */
  async pick(selector: string, value: string): Promise<void> {
    const picker = this.comp.querySelector(selector);
    if (!picker) throw new Error(`no picker matches ${selector}`);
    picker.dispatchEvent('change', { detail: { value } });
    await simulate.sleep(0);
  }

  /** Turns the `<switch>` matching `selector` on or off, as WeChat reports it: a `change` event with the new state. */
  async toggle(selector: string, on: boolean): Promise<void> {
    const control = this.comp.querySelector(selector);
    if (!control) throw new Error(`no switch matches ${selector}`);
    control.dispatchEvent('change', { detail: { value: on } });
    await simulate.sleep(0);
  }

  /** Types into the input matching `selector`, as WeChat reports it: an `input` event with the value. */
  async type(selector: string, value: string): Promise<void> {
    const input = this.comp.querySelector(selector);
    if (!input) throw new Error(`no input matches ${selector}`);
    input.dispatchEvent('input', { detail: { value, cursor: value.length, keyCode: 0 } });
    await simulate.sleep(0);
  }
}

export class PageScreen extends Screen {
  constructor(
    comp: Rendered,
    /** Present on tab pages: WeChat gives each tab page its own custom tab bar. */
    private readonly bar: Screen | null,
  ) {
    super(comp);
  }

  get tabBar(): Screen {
    if (!this.bar) throw new Error('not a tab page');
    return this.bar;
  }

  /** What WeChat sends when the person shares this page (a share button or the ··· menu). */
  share(): { title?: string; path?: string } {
    const onShare = this.comp.instance.onShareAppMessage as ((e: { from: string }) => { title?: string; path?: string }) | undefined;
    if (!onShare) throw new Error('this page cannot be shared');
    return onShare.call(this.comp.instance, { from: 'button' });
  }

  /** The person pulls the page down to refresh it. */
  pullDown(): void {
    const onPullDownRefresh = this.comp.instance.onPullDownRefresh as (() => void) | undefined;
    if (!onPullDownRefresh) throw new Error('this page has no pull-down refresh');
    onPullDownRefresh.call(this.comp.instance);
  }

  /** The person scrolls to the bottom of the page. */
  reachBottom(): void {
    const onReachBottom = this.comp.instance.onReachBottom as (() => void) | undefined;
    if (!onReachBottom) throw new Error('this page does nothing at the bottom');
    onReachBottom.call(this.comp.instance);
  }

  /** The page comes to the front again (back from another page, or its tab tapped). */
  show(): void {
    const onShow = this.comp.instance.onShow as (() => void) | undefined;
    onShow?.call(this.comp.instance);
  }
}

/** Opens `route` (e.g. `pages/home/index`) with `query`, as WeChat does when navigating to it. */
export function openPage(route: string, query: Record<string, string> = {}): PageScreen {
  const comp = mount(route);
  const page = comp.instance;
  let bar: Screen | null = null;
  if (TAB_PAGES.includes(route)) {
    bar = new Screen(mount('custom-tab-bar/index'));
    const tabBarInstance = bar.comp.instance;
    page.getTabBar = () => tabBarInstance;
  }
  platform.pages.push({ route, options: query });
  const onLoad = page.onLoad as ((q: Record<string, string>) => void) | undefined;
  onLoad?.call(page, query);
  const screen = new PageScreen(comp, bar);
  screen.show();
  return screen;
}

/** Detaches everything this test opened, so tab bars stop watching the viewer. */
export function closeAllPages(): void {
  while (mounted.length) mounted.pop()?.detach();
}

/** Another person picks up their own phone and opens the app: nothing of the last phone stays. */
export function switchPhone(openid: string): void {
  closeAllPages();
  platform.newSession(openid);
}
