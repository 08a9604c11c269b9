// The browser tests (`npm run test:browser`): a real Chromium (Debian's package) against the real app. Not part
// of `npm test`, whose patterns never match *.browser-spec.ts: a fresh machine has no Chromium.
const { projects } = require('./jest.config');

const e2e = projects.find((p) => p.displayName === 'e2e');

module.exports = {
  testTimeout: 120_000,
  projects: [{ ...e2e, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'] }],
};
