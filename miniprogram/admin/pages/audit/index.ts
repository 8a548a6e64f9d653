/** 操作记录 (admins): every recorded change, newest first, 20 at a time. */
import { call } from '../../../services/api';
import type { Gate } from '../../shared/access';
import { enterArea, loadListPage } from '../../shared/load';
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
      if (!(await enterArea(this, 'audit'))) return;
      this.setData({ gate: 'ready', entries: [], nextBefore: '' });
      await this.loadList(false);
    },
    loadList(more: boolean) {
      return loadListPage(
        this,
        { rows: 'entries', next: 'nextBefore', busy: 'loading', error: 'listError' },
        more,
        (before) => call('admin', 'audit.list', before ? { before } : {}),
        (page) => ({ rows: page.entries.map(toEntryView), next: page.nextBefore }),
      );
    },
    onMore() {
      this.loadList(true);
    },
  },
});
