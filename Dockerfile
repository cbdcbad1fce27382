# syntax=docker/dockerfile:1

# Build: full dependencies (TypeScript is a dev dependency), compile to dist/.
# Node 22 is an LTS line supported until April 2027 (Node 20 reached its end of life); the code also runs on Node 20.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json main.ts ./
COPY core ./core
COPY bot ./bot
COPY control ./control
COPY cli ./cli
RUN npm run build

# Runtime: production dependencies, compiled code, and the data files read at start.
FROM node:22-bookworm-slim AS runtime
# tini is PID 1 so SIGTERM reaches node, which finishes in-flight turns and closes
# the database before exiting, and so zombie processes are reaped.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    DATA_DIR=/data \
    CONTROL_PORT=8000 \
    CONTROL_HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY roles ./roles
COPY core/db/migrations ./core/db/migrations
# The volume is created from this folder, so it starts owned by the node user.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8000
# Slim images have no curl: node's own fetch asks the process that is being checked.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.CONTROL_PORT||8000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/main.js"]
