# syntax=docker/dockerfile:1
# Node 24, the current LTS. The suite runs on Node 20.20 on the machines this project is built on.

# The compiler and the whole project: the build.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json nest-cli.json openapi.json ./
COPY tools ./tools
COPY src ./src
COPY migrations ./migrations
COPY seeds ./seeds
COPY test ./test
COPY examples ./examples
COPY bench ./bench
COPY explorer ./explorer
RUN npm run build

# Runtime dependencies only: no compiler, and no embedded PostgreSQL binaries (an optional
# dependency; the image always runs against DATABASE_URL). No install scripts are needed.
FROM node:24-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts

# What runs: the compiled app and migrations, the explorer's static files, the seed, and those dependencies.
FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json ./
COPY --from=dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/migrations ./dist/migrations
COPY --from=build /app/dist/explorer ./dist/explorer
COPY seeds ./seeds
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:3000/health/ready').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "dist/src/main.js"]
