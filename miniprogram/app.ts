import { config } from './config';
import type { AppShape } from './services/viewer';

App<AppShape>({
  globalData: { viewer: null },

  onLaunch() {
    // The local backend speaks HTTP to the gateway; only the cloud backend needs the SDK.
    if (config.backend === 'cloud') wx.cloud.init({ env: config.cloudEnv, traceUser: true });
  },
});
