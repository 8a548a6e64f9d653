/**
 * WeChat platform services behind one small interface. Production calls `cloud.openapi`; the local
 * runtime installs stand-ins (a plain QR code, an outbox, a development phone number) on a global
 * symbol, and everything that shows their output says it came from a stand-in.
 */
import cloud from 'wx-server-sdk';
import { COLLECTIONS } from '../../database/collections';
import { now } from './clock';
import { getDb } from './db';

export interface CodeRequest {
  scene: string;
  /** Page path without a leading slash or query, e.g. `pages/entry/index`. */
  page: string;
  width?: number;
  envVersion?: 'release' | 'trial' | 'develop';
}

export interface PhoneInfo {
  phoneNumber: string;
  countryCode: string;
  /** True when a local stand-in produced it: never a real customer's number. */
  isDevelopment: boolean;
}

export interface SubscribeMessage {
  toOpenid: string;
  templateId: string;
  page: string;
  data: Record<string, { value: string }>;
  /** Same key, same message: a rerun never sends twice. */
  dedupeKey: string;
}

export interface StoredFile {
  /** Cloud storage file id (production) or a local storage path. */
  fileId: string;
}

export interface PlatformServices {
  readonly kind: 'cloudbase' | 'local';
  /** Saves a file to cloud storage (locally: the data folder). */
  storeFile(cloudPath: string, content: Buffer): Promise<StoredFile>;
  /** Reads a stored file back (an uploaded CSV, a part of an export). */
  readFile(fileId: string): Promise<Buffer>;
  /** A temporary download link for a stored file (locally: a gateway link). */
  fileUrl(fileId: string, maxAgeSeconds?: number): Promise<string>;
  /** Removes stored files (personal data that must not outlive its purpose); missing ones are fine. */
  deleteFiles(fileIds: string[]): Promise<void>;
  miniProgramCode(req: CodeRequest): Promise<{ png: Buffer }>;
  phoneNumber(code: string): Promise<PhoneInfo>;
  /** Queues the message once per dedupeKey; returns false when it was already queued. */
  sendSubscribeMessage(msg: SubscribeMessage): Promise<boolean>;
}

const PLATFORM_KEY = Symbol.for('privdom.platform');
type WithPlatform = typeof globalThis & { [PLATFORM_KEY]?: PlatformServices };

/** Records the message in the outbox under its dedupe key; false when it is already there. */
export async function recordOutbox(msg: SubscribeMessage, status: 'sent' | 'local', at: Date): Promise<boolean> {
  try {
    await getDb()
      .collection(COLLECTIONS.outbox)
      .add({ data: { ...msg, status, at } });
    return true;
  } catch (err) {
    if (/E11000|duplicate key/i.test(String((err as { errMsg?: string }).errMsg ?? err))) return false;
    throw err;
  }
}

const cloudbasePlatform: PlatformServices = {
  kind: 'cloudbase',
  async storeFile(cloudPath, content) {
    const res = await cloud.uploadFile({ cloudPath, fileContent: content });
    return { fileId: res.fileID };
  },
  async readFile(fileId) {
    const res = await cloud.downloadFile({ fileID: fileId });
    return Buffer.from(res.fileContent as Buffer);
  },
  async fileUrl(fileId, maxAgeSeconds = 3600) {
    const res = (await cloud.getTempFileURL({ fileList: [{ fileID: fileId, maxAge: maxAgeSeconds }] })) as {
      fileList: { tempFileURL: string; status: number; errMsg: string }[];
    };
    const [file] = res.fileList;
    if (!file || file.status !== 0) throw new Error(`getTempFileURL failed for ${fileId}: ${file?.errMsg}`);
    return file.tempFileURL;
  },
  async deleteFiles(fileIds) {
    if (fileIds.length) await cloud.deleteFile({ fileList: fileIds });
  },
  async miniProgramCode(req) {
    const res = await cloud.openapi.wxacode.getUnlimited({
      scene: req.scene,
      page: req.page,
      checkPath: false,
      envVersion: req.envVersion ?? 'release',
      width: req.width ?? 430,
    });
    return { png: Buffer.from(res.buffer) };
  },
  async phoneNumber(code) {
    const res = await cloud.openapi.phonenumber.getPhoneNumber({ code });
    return { phoneNumber: res.phoneInfo.purePhoneNumber, countryCode: res.phoneInfo.countryCode, isDevelopment: false };
  },
  async sendSubscribeMessage(msg) {
    // Outbox first: its unique dedupe key is what keeps a rerun from sending twice.
    if (!(await recordOutbox(msg, 'sent', now()))) return false;
    await cloud.openapi.subscribeMessage.send({
      touser: msg.toOpenid,
      templateId: msg.templateId,
      page: msg.page,
      data: msg.data,
    });
    return true;
  },
};

export function platform(): PlatformServices {
  return (globalThis as WithPlatform)[PLATFORM_KEY] ?? cloudbasePlatform;
}

/** Used by the local runtime only. */
export function installPlatform(services: PlatformServices | undefined): void {
  (globalThis as WithPlatform)[PLATFORM_KEY] = services;
}
