/**
 * Where the mini program finds its cloud functions.
 *
 * - `cloud` (production): `wx.cloud.callFunction` on the CloudBase environment `cloudEnv`.
 * - `local` (development): the same functions served by the local runtime over HTTP.
 *   1. Run `npm start` in the repository root; it serves the functions on 127.0.0.1:3000 and seeds
 *      a demo store whose owner has the openid `demo-owner`.
 *   2. Set `backend: 'local'` below (leave `localGateway` as is unless you changed PORT).
 *   3. In WeChat DevTools open 详情 → 本地设置 and tick 不校验合法域名、web-view（业务域名）、TLS 版本以及
 *      HTTPS 证书, because the gateway is plain http on 127.0.0.1 (project.config.json already sets
 *      urlCheck false for this project).
 *   4. Every call then carries `devOpenid` as the caller: keep `demo-owner` to act as the store owner,
 *      or change it to any other id to see the app as a customer or as a newly invited clerk.
 *   The local backend only works inside DevTools on the developer's machine; never ship it.
 */
export type Backend = 'cloud' | 'local';

export interface AppConfig {
  backend: Backend;
  /** CloudBase environment id (云开发控制台 → 环境 ID). Replace the placeholder before deploying. */
  cloudEnv: string;
  /** Base URL of the local gateway started by `npm start`. */
  localGateway: string;
  /** The caller the local gateway is told about (header `x-wx-openid`); local backend only. */
  devOpenid: string;
}

export const config: AppConfig = {
  backend: 'cloud',
  cloudEnv: 'replace-with-your-env-id',
  localGateway: 'http://127.0.0.1:3000',
  devOpenid: 'demo-owner',
};
