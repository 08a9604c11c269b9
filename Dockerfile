# One image for the three apps; docker-compose.yml picks the entry point of each.
# Node.js 22: content-disposition 3 (under @fastify/static) declares engines node >=22, and every other
# dependency's engines accept 22 (test/ops/docker.ops-spec.ts checks them against node_modules).
FROM node:22-bookworm-slim AS build
WORKDIR /app
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY apps ./apps
COPY libs ./libs
COPY scripts/copy-build-assets.js ./scripts/
COPY types ./types
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production ONNXRUNTIME_NODE_INSTALL=skip
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY config ./config
COPY models ./models
# `modelgate` (and `npx modelgate` in /app) runs dist/apps/cli; `modelgate test iris` finds the hold-out rows model.json names.
COPY apps/cli/bin ./apps/cli/bin
COPY scripts/data/*.holdout.jsonl ./scripts/data/
RUN ln -s /app/apps/cli/bin/modelgate.js /usr/local/bin/modelgate && mkdir -p logs && chown -R node:node /app
USER node
# HTTP, KServe V2 gRPC, and the probes of the queue-processor and scheduler run alone
EXPOSE 8080 8081 8082 8083
CMD ["node", "dist/src/main.js"]
