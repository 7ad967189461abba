# renovation-ledger: build with the toolchain better-sqlite3 needs, run with production
# dependencies only, as the non-root `node` user.

# --- build ---------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles natively (node-gyp) when no prebuilt binary can be downloaded.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY projections ./projections
COPY bin ./bin
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# --- runtime -------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data
# A container is reached through its published ports: listen on every interface inside it (the
# service's own default, 127.0.0.1, would be unreachable). /metrics (9464) is not published by
# the compose files: Prometheus on the same container network scrapes ledger:9464.
ENV HOST=0.0.0.0 \
    METRICS_HOST=0.0.0.0
WORKDIR /app
# /data belongs to `node`, so a fresh named volume mounted there is writable by the service.
RUN mkdir -p /data && chown node:node /data
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
USER node
EXPOSE 3000 9464
# With EVENT_STORE=sqlite the log and the read model live here; with eventstoredb only the
# read model (read-model.sqlite) does.
VOLUME ["/data"]
# 200 when the store is reachable, 503 otherwise (GET /api/health needs no token).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
