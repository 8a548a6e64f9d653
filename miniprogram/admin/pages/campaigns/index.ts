/**
 * 活动 (clerks look, admins change): every campaign in one list with its status, filtered by kind;
 * pause, resume and end from the row (after a confirmation), or open one to edit, top up and preview.
 */
import type { CampaignCommand, CampaignType } from '../../../../typings';
import { call, newRequestId } from '../../../services/api';
import type { Gate } from '../../shared/access';
import { confirmed } from '../../shared/confirm';
import { errorText } from '../../shared/format';
import { enterArea, loadListPage } from '../../shared/load';
import { campaignUrl, CONFIRM, type RowView, TABS, toRowView } from './view';

type TapEvent<D extends WechatMiniprogram.IAnyObject> = WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, D>;


Component({
  data: {
    gate: 'loading' as Gate,
    gateMessage: '',
    tabs: TABS,
    type: '' as CampaignType | '',
    rows: [] as RowView[],
    nextCursor: '' as string,
    loading: false,
    listError: '',
    canManage: false,
  },
  methods: {
    onLoad() {
      this.load();
    },
    onShow() {
      if (this.data.gate === 'ready') this.loadList();
    },
    onRetry() {
      this.load();
    },
    async load() {
      const home = await enterArea(this, 'campaigns');
      if (!home) return;
      this.setData({ gate: 'ready', canManage: home.abilities.manageCampaigns });
      await this.loadList();
    },
    loadList(more = false) {
      return loadListPage(
        this,
        { rows: 'rows', next: 'nextCursor', busy: 'loading', error: 'listError' },
        more,
        (cursor) => call('admin', 'campaign.list', { ...(this.data.type ? { type: this.data.type } : {}), ...(cursor ? { cursor } : {}) }),
        (page) => ({ rows: page.campaigns.map(toRowView), next: page.nextCursor }),
      );
    },
    onTab(e: TapEvent<{ type: CampaignType | '' }>) {
      this.setData({ type: e.currentTarget.dataset.type, rows: [], nextCursor: '' });
      this.loadList();
    },
    onMore() {
      this.loadList(true);
    },
    onNew() {
      wx.navigateTo({ url: campaignUrl(this.data.type || 'coupon', null) });
    },
    onOpen(e: TapEvent<{ type: CampaignType; id: string }>) {
      wx.navigateTo({ url: campaignUrl(e.currentTarget.dataset.type, e.currentTarget.dataset.id) });
    },
    async onAction(e: TapEvent<{ type: CampaignType; id: string; command: CampaignCommand | 'topUp'; title: string }>) {
      const { type, id, command, title } = e.currentTarget.dataset;
      if (command === 'topUp') {
        wx.navigateTo({ url: campaignUrl(type, id) });
        return;
      }
      if (!(await confirmed(CONFIRM[command](title)))) return;
      const res = await call('admin', 'campaign.setStatus', { type, id, command }, { requestId: newRequestId() });
      if (!res.ok) {
        wx.showToast({ title: errorText(res.error), icon: 'none' });
        return;
      }
      const row = toRowView(res.data);
      this.setData({ rows: this.data.rows.map((r) => (r.key === row.key ? row : r)) });
      wx.showToast({ title: `已${CONFIRM[command](title).confirmText}`, icon: 'none' });
    },
  },
});
