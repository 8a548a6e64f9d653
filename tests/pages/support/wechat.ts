/**
 * STAND-IN FOR THE WECHAT PLATFORM, not project code.
 *
 * miniprogram-simulate renders components and answers most `wx.*` APIs with canned values, but it
 * has no `wx.cloud`, no `App`/`getApp` and no `getCurrentPages` (the WeChat client provides those).
 * This module plays that client:
 * - `wx.cloud.callFunction` runs the real cloud function in this process on a real LocalRuntime
 *   (`runtime.invoke(name, data, { OPENID })`), as the person `platform.actAs()` chose, exactly as
 *   CloudBase would hand the event to the function. `platform.goOffline()` makes the platform fail
 *   the call the way WeChat does when the network is down; `loseNextAnswer()` / `loseAnswerAfter(n)`
 *   let the function run but lose its answer on the way back (a timeout).
 * - `wx.request` performs real HTTP (used only when the app is pointed at the local gateway).
 * - `App`/`getApp` keep the app instance; `launchApp()` is a cold start of the real app.ts.
 * - Navigation APIs record where the app asked to go (`platform.navigations`).
 * - `wx.setClipboardData`, `wx.showToast` and `wx.stopPullDownRefresh` record what the person would
 *   notice (`platform.clipboard`, `platform.toasts`, `platform.pullDownsStopped`).
 * - `wx.scanCode` is the camera: it reads what `platform.willScan(text)` put in front of it, or the
 *   person closes the scanner (`scanCode:fail cancel`). Each call's options are kept (`platform.scans`).
 * - `wx.requestSubscribeMessage` is the subscribe panel: it answers as `platform.willAnswerSubscribe()`
 *   says (unanswered panels are dismissed: 'reject'), records the panels (`platform.subscribePanels`)
 *   and, as WeChat does on phones, refuses to open outside a tap: only a tap handler's synchronous part
 *   counts (`userGesture`, used by the page harness's tap()).
 * - The phone-number sheet behind `<button open-type="getPhoneNumber">` answers as
 *   `platform.willSharePhone()` says: a one-time code (`dev:<11 digits>` picks the local development
 *   number) or the person declines. The avatar sheet behind `open-type="chooseAvatar"` gives the temp
 *   path `platform.willChooseAvatar()` set. The page harness fires the buttons' events (pages.ts).
 * - `wx.cloud.uploadFile` keeps nothing: it records the upload (`platform.uploads`) and answers with a
 *   `cloud://stand-in…` file id, as CloudBase storage would; offline it fails.
 * - `wx.showModal` records each dialog (`platform.modals`) and is answered as
 *   `platform.willAnswerModal()` says (unanswered dialogs are dismissed: 'cancel').
 * - `wx.chooseMedia` is the photo picker: it gives the image `platform.willChooseImage()` set (a temp
 *   path, and its bytes when the test gives them), or the person closes it (`chooseMedia:fail cancel`).
 * - `wx.getFileSystemManager().readFile` reads the bytes of a file a picker gave (as base64 when asked),
 *   as the local backend's uploads do; any other path is missing.
 * - `wx.getClipboardData` reads `platform.clipboard` (what the person copied elsewhere, or the app).
 * - `wx.chooseMessageFile` is the chat-file picker: it gives the file `platform.willChooseFile()` set
 *   (a temp path, name and size), or the person closes it (`chooseMessageFile:fail cancel`). Uploading
 *   a chosen file with `wx.cloud.uploadFile` stores its bytes in the local runtime's storage, which
 *   stands in for cloud storage here, and answers with that file id, so the functions can read it.
 */
import http from 'node:http';
import { LocalRuntime } from '../../../local/runtime';
import { platform as services } from '../../../server/runtime/platform';

/** What the phone-number sheet answers unless a test says otherwise (locally: the default development number). */
export const STAND_IN_PHONE_CODE = 'stand-in-phone-code';
/** The temp path of the photo the avatar sheet gives unless a test says otherwise. */
export const STAND_IN_AVATAR = 'http://tmp/stand-in-avatar.jpeg';

type Callbacks = { success?: (res: unknown) => void; fail?: (err: unknown) => void; complete?: (res: unknown) => void };

interface AppInstance {
  globalData: Record<string, unknown>;
  onLaunch?: (options: unknown) => void;
  [key: string]: unknown;
}

export interface Navigation {
  kind: 'navigateTo' | 'redirectTo' | 'switchTab' | 'reLaunch' | 'navigateBack';
  url?: string;
}

export interface OpenPage {
  route: string;
  options: Record<string, string>;
}

/** Settles a WeChat-style API call: callbacks when given, else a promise. */
function settle<T>(options: Callbacks, work: () => Promise<T>): Promise<T> | undefined {
  const run = work().then(
    (res) => {
      options.success?.(res);
      options.complete?.(res);
      return res;
    },
    (err: unknown) => {
      options.fail?.(err);
      options.complete?.(err);
      throw err;
    },
  );
  if (options.success || options.fail || options.complete) {
    run.catch(() => undefined);
    return undefined;
  }
  return run;
}

function platformError(api: string, errCode: number, reason: string): Error & { errCode: number; errMsg: string } {
  const errMsg = `${api}:fail ${reason}`;
  return Object.assign(new Error(errMsg), { errCode, errMsg });
}

class WechatPlatform {
  private currentRuntime: LocalRuntime | null = null;
  private appOptions: AppInstance | null = null;
  private app: AppInstance | null = null;
  private online = true;
  private answersToLose = 0;
  private callsBeforeLosing: number | null = null;
  private callsBeforeOffline: number | null = null;
  private openid = '';
  /** Every cloud function call the app made, oldest first (name and the event it sent). */
  calls: { name: string; data: unknown }[] = [];
  /** Where the app asked to navigate, oldest first. */
  navigations: Navigation[] = [];
  /** What the app put on the clipboard last. */
  clipboard = '';
  /** Toasts shown, oldest first. */
  toasts: string[] = [];
  /** How many times the app ended a pull-down refresh. */
  pullDownsStopped = 0;
  /** The page stack `getCurrentPages()` answers with; the page harness keeps it. */
  pages: OpenPage[] = [];
  /** The configs this launch passed to `wx.cloud.init`. */
  cloudInitCalls: unknown[] = [];
  /** The options of every `wx.scanCode` call, oldest first. */
  scans: { onlyFromCamera?: boolean; scanType?: string[] }[] = [];
  /** What the camera will read next, oldest first; empty means the person closes the scanner. */
  private scanQueue: { text: string; path: string }[] = [];
  /** The template ids of every subscribe panel WeChat opened, oldest first. */
  subscribePanels: string[][] = [];
  private subscribeAnswer: 'accept' | 'reject' = 'reject';
  /** Every upload to cloud storage, oldest first. */
  uploads: { cloudPath: string; filePath: string; fileId: string }[] = [];
  /** Every modal dialog shown, oldest first. */
  modals: { title: string; content: string; confirmText?: string }[] = [];
  private modalAnswer: 'confirm' | 'cancel' = 'cancel';
  /** How many times the phone-number sheet opened. */
  phoneSheets = 0;
  private phoneAnswer: string | 'deny' = STAND_IN_PHONE_CODE;
  private avatarAnswer = STAND_IN_AVATAR;
  /** Taps under way whose handlers may still open gesture-only APIs (see userGesture). */
  private gestures = 0;
  /** What the chat-file picker gives next (the person picks it from a chat), by temp path. */
  private chosenFiles = new Map<string, { name: string; content: Buffer }>();
  private nextFile: { name: string; content: Buffer } | null = null;
  private nextImage: string | null = null;

  get runtime(): LocalRuntime {
    if (!this.currentRuntime) throw new Error('the stand-in platform has no runtime: start() it first');
    return this.currentRuntime;
  }

  start(): LocalRuntime {
    this.currentRuntime = new LocalRuntime();
    return this.currentRuntime;
  }

  stop(): void {
    this.currentRuntime?.close();
    this.currentRuntime = null;
  }

  /** A fresh session: online, nobody signed in, no navigation history, no app launched. */
  reset(): void {
    this.online = true;
    this.answersToLose = 0;
    this.callsBeforeLosing = null;
    this.callsBeforeOffline = null;
    this.openid = '';
    this.calls = [];
    this.navigations = [];
    this.clipboard = '';
    this.toasts = [];
    this.pullDownsStopped = 0;
    this.pages = [];
    this.app = null;
    this.cloudInitCalls = [];
    this.scans = [];
    this.scanQueue = [];
    this.subscribePanels = [];
    this.subscribeAnswer = 'reject';
    this.uploads = [];
    this.modals = [];
    this.modalAnswer = 'cancel';
    this.phoneSheets = 0;
    this.phoneAnswer = STAND_IN_PHONE_CODE;
    this.avatarAnswer = STAND_IN_AVATAR;
    this.gestures = 0;
    this.chosenFiles = new Map();
    this.nextFile = null;
    this.nextImage = null;
  }

  /**
   * The next `wx.chooseMedia` gives this photo (a temp path), e.g. a group's QR saved from WeChat.
   * With `content`, the photo's bytes are there to read (`getFileSystemManager().readFile`) and upload.
   */
  willChooseImage(tempPath = 'http://tmp/stand-in-qr.png', content?: Buffer): void {
    this.nextImage = tempPath;
    if (content) this.chosenFiles.set(tempPath, { name: tempPath.split('/').pop() ?? tempPath, content });
  }

  /** The next `wx.chooseMessageFile` gives this file (e.g. a platform's order export sent to the phone). */
  willChooseFile(name: string, content: string | Buffer): void {
    this.nextFile = { name, content: Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8') };
  }

  /** How the person answers modal dialogs from now on. */
  willAnswerModal(answer: 'confirm' | 'cancel'): void {
    this.modalAnswer = answer;
  }

  /**
   * How the person answers the phone-number sheet from now on: allow with this one-time code
   * (locally `dev:<11 digits>` becomes that development number), or 'deny'.
   */
  willSharePhone(answer: string | 'deny'): void {
    this.phoneAnswer = answer;
  }

  /** The temp path the avatar sheet gives next (the photo the person picked). */
  willChooseAvatar(tempPath: string): void {
    this.avatarAnswer = tempPath;
  }

  /** The phone-number sheet opens (a tap on an enabled getPhoneNumber button): the button's event detail. */
  phoneSheet(): { code?: string; errMsg: string } {
    this.phoneSheets += 1;
    if (this.phoneAnswer === 'deny') return { errMsg: 'getPhoneNumber:fail user deny' };
    return { code: this.phoneAnswer, errMsg: 'getPhoneNumber:ok' };
  }

  /** The avatar sheet closes with a photo: the chooseAvatar button's event detail. */
  avatarSheet(): { avatarUrl: string } {
    return { avatarUrl: this.avatarAnswer };
  }

  /**
   * The next `wx.scanCode` reads `text` (what the QR in front of the camera encodes). A mini program
   * code of this app also gives its page `path` (e.g. `pages/entry/index?scene=…`, scene URL-encoded).
   */
  willScan(text: string, path = ''): void {
    this.scanQueue.push({ text, path });
  }

  /** How the person answers the subscribe panels from now on. */
  willAnswerSubscribe(answer: 'accept' | 'reject'): void {
    this.subscribeAnswer = answer;
  }

  /**
   * Runs `dispatch` (a tap's touch events) as a user gesture. j-component delivers the tap to its
   * handler in a microtask queued by touchend; the gesture ends in the microtask after it, so only
   * what the handler does before its first `await` (or callback) counts as done in the tap.
   */
  userGesture(dispatch: () => void): void {
    this.gestures += 1;
    try {
      dispatch();
    } finally {
      void Promise.resolve().then(() => {
        this.gestures = Math.max(0, this.gestures - 1);
      });
    }
  }

  /** The WeChat user whose phone the app is running on (the caller's OPENID). */
  actAs(openid: string): void {
    this.openid = openid;
  }

  /** Another person's phone: a fresh launch of the app, signed in as `openid` (see switchPhone). */
  newSession(openid: string): void {
    this.pages = [];
    this.navigations = [];
    this.actAs(openid);
    this.launchApp();
  }

  /** The next call reaches the function and runs, but its answer is lost on the way back (timeout). */
  loseNextAnswer(): void {
    this.answersToLose += 1;
  }

  /** Like loseNextAnswer, for the call after `calls` more calls have been answered. */
  loseAnswerAfter(calls: number): void {
    this.callsBeforeLosing = calls;
  }

  goOffline(): void {
    this.online = false;
  }

  /** The network drops after `calls` more cloud function calls have gone through. */
  goOfflineAfter(calls: number): void {
    this.callsBeforeOffline = calls;
  }

  goOnline(): void {
    this.online = true;
    this.callsBeforeOffline = null;
  }

  /** A cold start: a new instance of the app registered by the real app.ts, then its onLaunch. */
  launchApp(): void {
    if (!this.appOptions) require('../../../miniprogram/app');
    if (!this.appOptions) throw new Error('miniprogram/app.ts did not call App()');
    this.cloudInitCalls = []; // a new app process: only this launch's init counts
    const { globalData, ...rest } = this.appOptions;
    this.app = { ...rest, globalData: JSON.parse(JSON.stringify(globalData)) as Record<string, unknown> };
    this.app.onLaunch?.call(this.app, { path: 'pages/home/index', query: {}, scene: 1001 });
  }

  install(): void {
    const g = globalThis as unknown as Record<string, unknown>;
    g.App = (options: AppInstance) => {
      this.appOptions = options;
    };
    g.getApp = () => {
      if (!this.app) throw new Error('getApp() before the app was launched: call platform.launchApp()');
      return this.app;
    };
    g.getCurrentPages = () => this.pages.slice();

    const wx = g.wx as Record<string, unknown>;
    wx.cloud = {
      init: (config: unknown) => {
        this.cloudInitCalls.push(config);
      },
      callFunction: (options: Callbacks & { name: string; data?: unknown }) =>
        settle(options, () => this.callFunction(options.name, options.data)),
      uploadFile: (options: Callbacks & { cloudPath: string; filePath: string }) =>
        settle(options, async () => {
          await new Promise((resolve) => setTimeout(resolve, 0));
          if (!this.online) throw platformError('cloud.uploadFile', -1, 'request:fail 网络连接失败');
          const chosen = this.chosenFiles.get(options.filePath);
          if (chosen) {
            const { fileId } = await services().storeFile(options.cloudPath, chosen.content);
            this.uploads.push({ cloudPath: options.cloudPath, filePath: options.filePath, fileId });
            return { fileID: fileId, statusCode: 200, errMsg: 'cloud.uploadFile:ok' };
          }
          const fileId = `cloud://stand-in-env.7374-stand-in/${options.cloudPath}`;
          this.uploads.push({ cloudPath: options.cloudPath, filePath: options.filePath, fileId });
          return { fileID: fileId, statusCode: 200, errMsg: 'cloud.uploadFile:ok' };
        }),
    };
    wx.request = (options: Callbacks & { url: string; method?: string; data?: unknown; header?: Record<string, string> }) => {
      settle(options, () => this.request(options));
      return { abort() {}, onHeadersReceived() {}, offHeadersReceived() {} };
    };
    for (const kind of ['navigateTo', 'redirectTo', 'switchTab', 'reLaunch', 'navigateBack'] as const) {
      wx[kind] = (options: Callbacks & { url?: string } = {}) =>
        settle(options, async () => {
          this.navigations.push({ kind, url: options.url });
          return { errMsg: `${kind}:ok` };
        });
    }
    wx.showToast = (options: Callbacks & { title: string }) =>
      settle(options, async () => {
        this.toasts.push(options.title);
        return { errMsg: 'showToast:ok' };
      });
    wx.stopPullDownRefresh = (options: Callbacks = {}) =>
      settle(options, async () => {
        this.pullDownsStopped += 1;
        return { errMsg: 'stopPullDownRefresh:ok' };
      });
    wx.scanCode = (options: Callbacks & { onlyFromCamera?: boolean; scanType?: string[] } = {}) =>
      settle(options, async () => {
        this.scans.push({ onlyFromCamera: options.onlyFromCamera, scanType: options.scanType });
        await new Promise((resolve) => setTimeout(resolve, 0));
        const next = this.scanQueue.shift();
        if (next === undefined) throw platformError('scanCode', 1, 'cancel');
        const { text: result, path } = next;
        return { errMsg: 'scanCode:ok', result, scanType: path ? 'WX_CODE' : 'QR_CODE', charSet: 'UTF-8', path, rawData: Buffer.from(result).toString('base64') };
      });
    wx.requestSubscribeMessage = (options: Callbacks & { tmplIds: string[] }) =>
      settle(options, async () => {
        // Checked before anything is awaited: the call itself must happen inside the tap.
        if (this.gestures === 0) throw platformError('requestSubscribeMessage', -1, 'can only be invoked by user TAP gesture.');
        this.subscribePanels.push([...options.tmplIds]);
        await new Promise((resolve) => setTimeout(resolve, 0));
        const answers: Record<string, string> = {};
        for (const id of options.tmplIds) answers[id] = this.subscribeAnswer;
        return { errMsg: 'requestSubscribeMessage:ok', ...answers };
      });
    wx.chooseMessageFile = (options: Callbacks & { count?: number; type?: string; extension?: string[] }) =>
      settle(options, async () => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        const file = this.nextFile;
        this.nextFile = null;
        if (!file) throw platformError('chooseMessageFile', 1, 'cancel');
        const path = `http://tmp/${this.chosenFiles.size + 1}-${encodeURIComponent(file.name)}`;
        this.chosenFiles.set(path, file);
        return { errMsg: 'chooseMessageFile:ok', tempFiles: [{ path, name: file.name, size: file.content.length, type: 'file', time: 0 }] };
      });
    wx.chooseMedia = (options: Callbacks & { count?: number; mediaType?: string[] }) =>
      settle(options, async () => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        const tempFilePath = this.nextImage;
        this.nextImage = null;
        if (!tempFilePath) throw platformError('chooseMedia', 1, 'cancel');
        const size = this.chosenFiles.get(tempFilePath)?.content.length ?? 20_000;
        return { errMsg: 'chooseMedia:ok', type: 'image', tempFiles: [{ tempFilePath, size, fileType: 'image' }] };
      });
    // Stand-in for the phone's file system: only the files the pickers gave can be read.
    wx.getFileSystemManager = () => ({
      readFile: (options: Callbacks & { filePath: string; encoding?: string }) =>
        settle(options, async () => {
          await new Promise((resolve) => setTimeout(resolve, 0));
          const chosen = this.chosenFiles.get(options.filePath);
          if (!chosen) throw platformError('readFile', 1300002, `no such file or directory, open "${options.filePath}"`);
          const data = options.encoding ? chosen.content.toString(options.encoding as BufferEncoding) : chosen.content;
          return { errMsg: 'readFile:ok', data };
        }),
    });
    wx.setClipboardData = (options: Callbacks & { data: string }) =>
      settle(options, async () => {
        this.clipboard = options.data;
        return { errMsg: 'setClipboardData:ok' };
      });
    wx.getClipboardData = (options: Callbacks = {}) => settle(options, async () => ({ data: this.clipboard, errMsg: 'getClipboardData:ok' }));
    wx.showModal = (options: Callbacks & { title?: string; content?: string; confirmText?: string }) =>
      settle(options, async () => {
        this.modals.push({ title: options.title ?? '', content: options.content ?? '', confirmText: options.confirmText });
        // The person answers the dialog in front of them as they meant to when it opened.
        const confirm = this.modalAnswer === 'confirm';
        await new Promise((resolve) => setTimeout(resolve, 0));
        return { errMsg: 'showModal:ok', confirm, cancel: !confirm, content: '' };
      });
  }

  private async callFunction(name: string, data: unknown): Promise<{ result: unknown; errMsg: string; requestID: string }> {
    // WeChat answers asynchronously even when the function is quick.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (this.callsBeforeOffline !== null) {
      if (this.callsBeforeOffline === 0) this.online = false;
      else this.callsBeforeOffline -= 1;
    }
    if (!this.online) throw platformError('cloud.callFunction', -1, 'request:fail 网络连接失败');
    if (!this.openid) throw platformError('cloud.callFunction', -1, 'no signed-in user: call platform.actAs(openid)');
    this.calls.push({ name, data: JSON.parse(JSON.stringify(data ?? null)) });
    const result = await this.runtime.invoke(name, data, { OPENID: this.openid });
    if (this.callsBeforeLosing !== null) {
      if (this.callsBeforeLosing === 0) {
        this.callsBeforeLosing = null;
        this.answersToLose += 1;
      } else this.callsBeforeLosing -= 1;
    }
    if (this.answersToLose > 0) {
      this.answersToLose -= 1;
      throw platformError('cloud.callFunction', -504003, 'request:fail timeout');
    }
    return { result, errMsg: 'cloud.callFunction:ok', requestID: `stand-in-${Date.now()}` };
  }

  private request(options: { url: string; method?: string; data?: unknown; header?: Record<string, string> }) {
    return new Promise<{ data: unknown; statusCode: number; header: http.IncomingHttpHeaders; errMsg: string }>((resolve, reject) => {
      if (!this.online) return reject(platformError('request', 600001, 'net::ERR_INTERNET_DISCONNECTED'));
      const body = options.data === undefined ? '' : JSON.stringify(options.data);
      const req = http.request(options.url, { method: options.method ?? 'GET', headers: options.header }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let data: unknown = text;
          try {
            data = JSON.parse(text);
          } catch {
            // dataType json falls back to the raw text, as WeChat does.
          }
          resolve({ data, statusCode: res.statusCode ?? 0, header: res.headers, errMsg: 'request:ok' });
        });
      });
      req.on('error', (err) => reject(platformError('request', 600001, err.message)));
      req.end(body);
    });
  }
}

export const platform = new WechatPlatform();
