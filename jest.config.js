// One config for every kind of test; `npm test` runs them all. @swc/jest keeps decorator metadata
// (Nest's DI needs it) and is several times faster than ts-jest on this 2-core machine.
const fs = require('fs');
const swcrc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swcrc.$schema;

const moduleNameMapper = {
  '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src',
};
const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(ts|js)$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  // ESM-only dependencies that Node 20 loads through require(esm) but Jest's CommonJS runtime cannot:
  // transformed to CommonJS for the tests (content-disposition comes with @fastify/static, for /docs).
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
};

module.exports = {
  testTimeout: 60_000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{libs,apps,src,scripts}/**/*.spec.ts'] },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
    {
      ...base,
      displayName: 'stat',
      testMatch: ['<rootDir>/test/**/*.stat-spec.ts'],
    },
  ],
};
