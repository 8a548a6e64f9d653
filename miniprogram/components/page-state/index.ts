/**
 * What a page shows while it has nothing else to show: a spinner while loading, a sentence when
 * something went wrong (with 重试) or when there is nothing yet.
 */
Component({
  properties: {
    /** 'loading' | 'error' | 'empty' */
    status: { type: String, value: 'loading' },
    message: { type: String, value: '' },
    /** Label of the error button; the page handles the `retry` event. */
    actionText: { type: String, value: '重试' },
  },
  methods: {
    onAction() {
      this.triggerEvent('retry');
    },
  },
});
