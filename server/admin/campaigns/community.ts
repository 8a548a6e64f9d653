/** Live-code entries as campaigns: groups and seats; paused, resumed and archived through their module. */
import { COLLECTIONS } from '../../../database/collections';
import type { CommunityEntryView } from '../../../typings';
import { entryViews, loadEntry, updateEntry } from '../../community/entries';
import type { EntryDoc } from '../../community/model';
import { previewOpen } from '../../community/open';
import { isoOrNull } from '../../runtime/schedule';
import { type CampaignKind, count, type Listed, statusOf } from './kind';
import { newestFirst } from './paging';

const STORED = { active: 'active', paused: 'paused', archived: 'ended' } as const;
const ENTRY_STATUS = { pause: 'paused', resume: 'active', end: 'archived' } as const;

function listed(e: EntryDoc, view: CommunityEntryView, now: Date): Listed {
  const { stats } = view;
  return {
    row: {
      type: 'community',
      id: e._id,
      title: e.name,
      subtitle: stats.current ? `当前分配：${stats.current.name}` : '暂无可分配的群（扫码者看到客服二维码）',
      status: statusOf(STORED[e.status], e, now),
      startsAt: isoOrNull(e.startsAt),
      endsAt: isoOrNull(e.endsAt),
      figures: [count('可用群', stats.openGroups), count('剩余名额', stats.seatsLeft), count('已分配', stats.assigned), count('已入群', stats.joined)],
      createdAt: view.createdAt,
    },
    stock: false,
  };
}

export const communityKind: CampaignKind = {
  type: 'community',
  async page(before, limit, now) {
    const entries = await newestFirst<EntryDoc>(COLLECTIONS.communityEntries, before, limit);
    const views = await entryViews(entries, now);
    return entries.map((e, i) => listed(e, views[i], now));
  },
  async get(id, now) {
    const entry = await loadEntry(id);
    const [view] = await entryViews([entry], now);
    return { listed: listed(entry, view, now), detail: { type: 'community', entry: view } };
  },
  async command(ctx, id, command) {
    await updateEntry({ openid: ctx.openid, requestId: ctx.requestId, now: ctx.now }, { entryId: id, status: ENTRY_STATUS[command] });
  },
  async preview(ctx, id) {
    return { type: 'community', open: await previewOpen(await loadEntry(id), ctx.now), note: '按第一次扫码的顾客预览，不会占用群名额' };
  },
};
