/**
 * The invite poster (to share in chats or post to Moments): the store's name, the campaign's line,
 * 「<nickname> 邀请你加入会员」, the mini program code whose scene is the member's invite token, and
 * 「长按识别小程序码」. Drawn once per member and campaign (and again when the name or the line
 * changes), stored with `storeFile`; later calls answer a fresh link to the stored file.
 *
 * Locally the code is the stand-in's plain QR code, and the poster says so in red.
 */
import { createHash } from 'node:crypto';
import { COLLECTIONS } from '../../../database/collections';
import type { InvitePoster } from '../../../typings';
import { loadStore } from '../../app/store';
import { displayName } from '../../members/model';
import { getDb } from '../../runtime/db';
import { platform } from '../../runtime/platform';
import { Canvas, hex } from '../poster/canvas';
import { drawTextCentered, fitSize, type TextStyle } from '../poster/text';
import { linkParts } from './link';
import { POSTER_PAGE } from './token';

export const POSTER_WIDTH = 750;
export const POSTER_HEIGHT = 1200;
const LAYOUT_VERSION = 'v1';
const CODE_SIZE = 430;
const GREEN = hex('#2F5D50');
const DEFAULT_LINE = '好物同享 · 扫码加入会员';

interface PosterText {
  store: string;
  line: string;
  invitedBy: string;
  campaign: string | null;
  standIn: boolean;
}

function line(canvas: Canvas, text: string, style: TextStyle, baseline: number, maxWidth = 670): void {
  drawTextCentered(canvas, text, { ...style, size: fitSize(text, style, maxWidth) }, POSTER_WIDTH / 2, baseline);
}

export function drawPoster(codePng: Buffer, t: PosterText): Buffer {
  const canvas = new Canvas(POSTER_WIDTH, POSTER_HEIGHT, hex('#F7F1E6'));
  canvas.fillRect(0, 0, POSTER_WIDTH, 330, GREEN);
  line(canvas, t.store, { size: 32, color: hex('#EADFC8') }, 95);
  line(canvas, t.line, { size: 60, color: hex('#FFFFFF'), weight: 'bold' }, 200);
  line(canvas, t.invitedBy, { size: 30, color: hex('#EADFC8') }, 275);
  const cardX = (POSTER_WIDTH - CODE_SIZE - 50) / 2;
  canvas.fillRoundRect(cardX, 390, CODE_SIZE + 50, CODE_SIZE + 50, 24, hex('#FFFFFF'));
  canvas.drawPng(codePng, cardX + 25, 415, CODE_SIZE);
  line(canvas, '长按识别小程序码，加入会员', { size: 34, color: GREEN, weight: 'bold' }, 960);
  if (t.campaign) line(canvas, t.campaign, { size: 28, color: hex('#6B6B6B') }, 1015);
  if (t.standIn) line(canvas, '本地演示：普通二维码，不是微信小程序码', { size: 24, color: hex('#B3261E') }, 1140);
  return canvas.toPng();
}

export async function invitePoster(openid: string, now: Date): Promise<InvitePoster> {
  const [{ member, code, campaign, token }, store] = await Promise.all([linkParts(openid, now), loadStore()]);
  const standIn = platform().kind === 'local';
  const text: PosterText = {
    store: store.name,
    line: campaign?.posterLine ?? DEFAULT_LINE,
    invitedBy: `${displayName(member)} 邀请你加入会员`,
    campaign: campaign?.title ?? null,
    standIn,
  };
  const key = createHash('sha256').update(JSON.stringify([LAYOUT_VERSION, token, text])).digest('hex').slice(0, 16);
  let fileId = code.poster?.key === key ? code.poster.fileId : null;
  if (!fileId) {
    const { png: codePng } = await platform().miniProgramCode({ scene: token, page: POSTER_PAGE, width: CODE_SIZE });
    ({ fileId } = await platform().storeFile(`invite-posters/${code._id}-${key}.png`, drawPoster(codePng, text)));
    await getDb().collection(COLLECTIONS.inviteCodes).doc(code._id).update({ data: { poster: { key, fileId, at: now } } });
  }
  return { fileId, url: await platform().fileUrl(fileId), width: POSTER_WIDTH, height: POSTER_HEIGHT, standIn };
}
