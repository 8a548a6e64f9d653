/** Two projects: server-side tests in Node, page tests in jsdom (miniprogram-simulate needs a DOM). */
// ts-jest transpiles file by file (isolatedModules in the tsconfig): type checking is `npm run
// typecheck`'s job, so tests start fast.
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tests/tsconfig.json', diagnostics: false }],
};
const common = {
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
  globalSetup: '<rootDir>/tests/support/global-setup.js',
};
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'server',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/tests/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/pages/'],
    },
    {
      ...common,
      displayName: 'pages',
      testEnvironment: 'jsdom',
      // The page tests also run the real cloud functions: resolve packages as Node does, not as a browser.
      testEnvironmentOptions: { customExportConditions: ['node', 'node-addons'] },
      testMatch: ['<rootDir>/tests/pages/**/*.test.ts'],
      // The stand-in WeChat platform (wx.cloud, App/getApp, getCurrentPages, navigation, wx.request).
      setupFilesAfterEnv: ['<rootDir>/tests/pages/support/setup.ts'],
    },
  ],
};
