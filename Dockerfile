# Baton, the GitHub App: `docker build -t baton .`
# Runs the compiled JavaScript as the unprivileged `node` user. The same image
# serves webhooks (default command) and runs workers (`node dist/app/worker.js`).
# See docs/deploy.md.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=optional leaves out the Claude Code binary (about 400 MB of the
# agent SDK's platform package): the app never runs a session itself, it
# hands `dev.runner: claude-code` to the repository's workflow (docs/steps.md),
# so node_modules is about 140 MB instead of 550 MB.
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund --ignore-scripts && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    BATON_STATE_DIR=/var/lib/baton
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json app.yml ./
COPY bin ./bin
# Open check runs are written here without Redis, so a restart can close those a crash left open.
RUN mkdir -p /var/lib/baton && chown node:node /var/lib/baton
VOLUME /var/lib/baton
USER node
EXPOSE 3000
CMD ["node", "dist/app/server.js"]
