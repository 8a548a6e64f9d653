/** Asks the person to confirm a change with WeChat's modal; true only when they confirm. */
export function confirmed(options: { title: string; content: string; confirmText: string }): Promise<boolean> {
  return new Promise((resolve) => wx.showModal({ ...options, success: (r) => resolve(r.confirm), fail: () => resolve(false) }));
}
