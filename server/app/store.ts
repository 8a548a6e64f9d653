/** The store's own settings document. */
import { COLLECTIONS } from '../../database/collections';
import type { StoreView } from '../../typings';
import { getById } from '../runtime/db';

export const STORE_SETTINGS_ID = 'store';

export interface StoreSettingsDoc extends StoreView {
  _id: typeof STORE_SETTINGS_ID;
  updatedAt: Date;
}

/** Shown until the owner names the store. */
const UNNAMED_STORE: StoreView = { name: '我的店铺', intro: '', servicePhone: '' };

export async function loadStore(): Promise<StoreView> {
  const doc = await getById<StoreSettingsDoc>(COLLECTIONS.settings, STORE_SETTINGS_ID);
  if (!doc) return UNNAMED_STORE;
  return { name: doc.name, intro: doc.intro, servicePhone: doc.servicePhone };
}
