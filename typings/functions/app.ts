/** `app`: what every visitor sees first. */
import type { StaffRole } from './staff';

export interface StoreView {
  name: string;
  intro: string;
  /** Contact line shown on the home page, may be empty. */
  servicePhone: string;
}

export interface CampaignCard {
  id: string;
  title: string;
  subtitle: string;
  kind: 'coupon' | 'package_card' | 'group_buy' | 'invite' | 'repurchase' | 'community';
}

export interface HomeView {
  store: StoreView;
  campaigns: CampaignCard[];
  viewer: { isStaff: boolean; role: StaffRole | null };
  /** Set when the backend is the local runtime, so the app can say so. */
  localRuntime: boolean;
}

export interface AppApi {
  'home.get': { req: Record<string, never>; res: HomeView };
}
