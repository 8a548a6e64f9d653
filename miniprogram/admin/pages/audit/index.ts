/** 操作记录 (admins): every recorded change, newest first, 20 at a time. */
import { call } from '../../../services/api';
import { type Gate, openArea } from '../../shared/access';
import { type EntryView, toEntryView } from './view';

Component({
  data: {
    gate: 'loading' as Gate,
    gateMessage: '',
    entries: [] as EntryView[],
    nextBefore: '',
    loading: false,
    listError: '',
  },
  methods: {
    onLoad() {
      this.load();
    },
    onRetry() {
      this.load();
    },
    async load() {
      this.setData({ gate: 'loading' });
      const access = await openArea('audit');
      if (access.gate !== 'ready') return this.setData({ gate: access.gate, gateMessage: access.message });
      this.setData({ gate: 'ready', entries: [], nextBefore: '' });
      await this.loadMore();
    },
    async loadMore() {
      this.setData({ loading: true, listError: '' });
      const res = await call('admin', 'audit.list', this.data.nextBefore ? { before: this.data.nextBefore } : {});
      if (!res.ok) return this.setData({ loading: false, listError: res.error.message });
      this.setData({ loading: false, entries: [...this.data.entries, ...res.data.entries.map(toEntryView)], nextBefore: res.data.nextBefore ?? '' });
    },
    onMore() {
      this.loadMore();
    },
  },
});
