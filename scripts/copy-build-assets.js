// tsc compiles TypeScript only: the files the built apps read at run time beside their code (the gRPC
// service's .proto files) are copied into dist/ here, at the same relative paths.
const { cpSync } = require('fs');
const { join } = require('path');

const ROOT = join(__dirname, '..');
const ASSETS = ['libs/protocols/src/v2/grpc/proto'];

for (const dir of ASSETS) cpSync(join(ROOT, dir), join(ROOT, 'dist', dir), { recursive: true });
