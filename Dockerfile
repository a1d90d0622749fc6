# The hub (not the console app): one node. Several nodes share PostgreSQL (DATABASE_URL) and Redis
# (REDIS_URL); see docs/deploy.md and compose.yaml.
FROM node:24-bookworm-slim
WORKDIR /app
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1 NODE_ENV=production
COPY package.json package-lock.json .npmrc ./
COPY scripts ./scripts
# The hub's server packages are development dependencies of the app (they never ship to a till).
RUN npm ci --include=dev
COPY . .
RUN npm run build:backoffice
EXPOSE 4100
USER node
CMD ["npx", "tsx", "backend-sync/hub/cli.ts", "--host", "0.0.0.0", "--port", "4100", "--data", "/tmp/hub"]
