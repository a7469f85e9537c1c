# Multi-stage build: dependencies and the Remix build in one stage, a slim runtime in
# the next. The server runs TypeScript through tsx (one process serves HTTP and
# Socket.IO). Production uses PostgreSQL (DATABASE_URL) and, for several processes,
# Redis (REDIS_URL); without DATABASE_URL it falls back to the embedded PGlite in /data.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0 DATA_DIR=/data
WORKDIR /app
RUN groupadd --system app && useradd --system --gid app --home /app app \
  && mkdir -p /data && chown app:app /data
COPY --from=build --chown=app:app /app/node_modules ./node_modules
COPY --from=build --chown=app:app /app/build ./build
COPY --from=build --chown=app:app /app/package.json ./
COPY --from=build --chown=app:app /app/server ./server
COPY --from=build --chown=app:app /app/db ./db
COPY --from=build --chown=app:app /app/content ./content
COPY --from=build --chown=app:app /app/assets ./assets
USER app
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node_modules/.bin/tsx", "server/main.ts"]
