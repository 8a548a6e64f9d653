/** 会员查询 (clerk and up): find a member by phone suffix, order number or nickname; open their page. */
import type { MemberSearchBy } from '../../../../typings';
import { TAB_URLS } from '../../../custom-tab-bar/tabs';
import { call } from '../../../services/api';
import type { Gate } from '../../shared/access';
import { errorText } from '../../shared/format';
import { enterArea } from '../../shared/load';
import { guessMode, MODES, type ResultRow, toResultRow } from './view';

Component({
  data: {
    gate: 'loading' as Gate,
    gateMessage: '',
    modes: MODES,
    mode: 'phone' as MemberSearchBy,
    placeholder: MODES[0].placeholder,
    inputType: MODES[0].inputType,
    query: '',
    searching: false,
    searched: false,
    error: '',
    note: '',
    results: [] as ResultRow[],
  },
  methods: {
    onLoad() {
      this.open();
    },
    onRetry() {
      this.open();
    },
    async open() {
      if (await enterArea(this, 'members')) this.setData({ gate: 'ready', gateMessage: '' });
    },
    onPickMode(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { mode: MemberSearchBy }>) {
      this.setMode(e.currentTarget.dataset.mode);
    },
    setMode(mode: MemberSearchBy) {
      const option = MODES.find((m) => m.value === mode) ?? MODES[0];
      this.setData({ mode, placeholder: option.placeholder, inputType: option.inputType, error: '' });
    },
    onInput(e: WechatMiniprogram.Input) {
      const query = e.detail.value;
      const mode = guessMode(query, this.data.mode);
      if (mode !== this.data.mode) this.setMode(mode);
      this.setData({ query, error: '' });
    },
    async onSearch() {
      const q = this.data.query.trim();
      if (!q) return this.setData({ error: '请输入要查找的内容' });
      if (this.data.searching) return;
      this.setData({ searching: true, error: '', note: '' });
      const res = await call('admin', 'member.find', { by: this.data.mode, q });
      if (!res.ok) return this.setData({ searching: false, error: errorText(res.error) });
      this.setData({ searching: false, searched: true, results: res.data.members.map(toResultRow), note: res.data.note ?? '' });
    },
    onOpenMember(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { openid: string }>) {
      wx.navigateTo({ url: `/admin/pages/member/index?openid=${encodeURIComponent(e.currentTarget.dataset.openid)}` });
    },
    onBackHome() {
      wx.switchTab({ url: TAB_URLS.home });
    },
  },
});
