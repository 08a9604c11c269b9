// The operations tests (`npm run test:ops`): deployment files checked with the real tools (Debian's
// prometheus package: promtool and prometheus; docker-compose where installed). Not part of `npm test`,
// whose patterns never match *.ops-spec.ts: a fresh machine has no promtool.
const { projects } = require('./jest.config');

const e2e = projects.find((p) => p.displayName === 'e2e');

module.exports = {
  testTimeout: 180_000,
  projects: [{ ...e2e, displayName: 'ops', testMatch: ['<rootDir>/test/ops/**/*.ops-spec.ts'] }],
};
