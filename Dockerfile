# Two stages. The build stage installs every dependency and builds the Remix app and
# the server bundle (build/server/main.js, build/server/cli.js: decision 030). The
# runtime stage installs only the production dependencies (no tsx, TypeScript, Vite,
# Playwright or @types/*) and runs plain Node; no TypeScript source ships. Production
# uses PostgreSQL (DATABASE_URL) and, for several processes, Redis (REDIS_URL); without
# DATABASE_URL it falls back to the embedded PGlite in /data.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0 DATA_DIR=/data
WORKDIR /app
RUN groupadd --system app && useradd --system --gid app --home /app app \
  && mkdir -p /data && chown app:app /data
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# The bundle carries the server code and the migrations; the files it reads at run time
# are the lessons and seed banks (content/) and the PDF fonts (assets/).
COPY --from=build --chown=app:app /app/build ./build
COPY --chown=app:app content ./content
COPY --chown=app:app assets ./assets
USER app
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# Operators run the CLI in the same image: docker exec <container> node build/server/cli.js <command>
CMD ["node", "build/server/main.js"]
