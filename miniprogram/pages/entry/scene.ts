/**
 * Where a package card's scene comes from. WeChat opens the landing page with `query.scene`
 * URL-encoded (`decodeURIComponent` it); a code scanned inside the app gives a page path such as
 * `pages/entry/index?scene=…`; a plain QR of that path (the local stand-in's codes) gives it as text.
 * Every shape is read defensively: whatever is not a scene becomes '' and lands on the friendly page.
 */

export const ENTRY_ROUTE = 'pages/entry/index';

const SCENE_PARAM = /(?:^|[?&])scene=([^&#]*)/;
/** Longer than any scene `wxacode.getUnlimited` accepts (32): not worth sending. */
const MAX_SCENE = 128;

/** Undoes one or two rounds of URL encoding (a path inside a path is encoded twice). */
function decoded(raw: string): string {
  let value = raw.trim();
  for (let i = 0; i < 2 && /%[0-9A-Fa-f]{2}/.test(value); i += 1) {
    try {
      value = decodeURIComponent(value).trim();
    } catch {
      break;
    }
  }
  return value;
}

function bounded(scene: string): string {
  return scene.length <= MAX_SCENE ? scene : '';
}

/** The scene named by a path or link like `pages/entry/index?scene=…`; '' when it names none. */
export function sceneInPath(text: string): string {
  const match = SCENE_PARAM.exec(decoded(text));
  return match ? bounded(decoded(match[1])) : '';
}

/** The scene of the landing page's `onLoad` query. */
export function sceneFromQuery(query: Record<string, string | undefined> | undefined): string {
  const scene = decoded(query?.scene ?? '');
  if (scene) return scene.includes('scene=') ? sceneInPath(scene) : bounded(scene);
  // A plain QR code linked to the mini program (扫普通链接二维码打开小程序) hands its URL as `q`.
  return query?.q ? sceneInPath(query.q) : '';
}

/** What `wx.scanCode` read, as the landing page's url; null when it is not one of our cards. */
export function entryUrlFromScan(res: { path?: string; result?: string }): string | null {
  const ours = (text = '') => (decoded(text).includes(ENTRY_ROUTE) ? sceneInPath(text) : '');
  const scene = ours(res.path) || ours(res.result);
  return scene ? `/${ENTRY_ROUTE}?scene=${encodeURIComponent(scene)}` : null;
}
