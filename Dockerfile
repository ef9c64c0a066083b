# The gateway as a container: built with the dev dependencies, run with the production ones only, as
# the unprivileged user `node`. scripts/production-rehearsal.sh runs these same steps without Docker.
#
# node:24-slim (Node 24, the current LTS, on Debian bookworm), pinned by the digest of its multi-platform
# index as docker-library/repo-info records it (repos/node/remote/24-slim.md: Node 24.19.0, 2026-08-03).
# Not pulled here (no Docker on the development machine): `docker buildx imagetools inspect node:24-slim`
# shows the current one; renew tag and digest together.
ARG NODE_IMAGE=node:24-slim@sha256:cd84903a12dbd26b46f1f3b8144a2568c41c5d37ddd0c7a80a34c7a19786b35f

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# The manifest and the lockfile before the sources: the dependency layer is rebuilt only when they change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Then only what runs: no dev dependencies, and (--legacy-peer-deps) none of @prisma/client's optional
# peers either, the Prisma CLI and TypeScript with their ~130 dependencies, which npm otherwise keeps.
RUN npm run build && npm prune --omit=dev --legacy-peer-deps --no-audit --no-fund

FROM ${NODE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/app/data
# What the compiled server reads at run time; root-owned, so the server cannot change its own code.
COPY --from=build /app/package.json /app/package.json
COPY --from=build /app/node_modules /app/node_modules
COPY --from=build /app/dist /app/dist
COPY --from=build /app/schema.graphql /app/schema.graphql
COPY --from=build /app/prisma/migrations /app/prisma/migrations
COPY --from=build /app/src/playground/public /app/src/playground/public
# Only the embedded database (when DATABASE_URL is unset) is written, in a volume the user owns.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# node itself is the main process, so SIGTERM from `docker stop` reaches the server's clean stop.
CMD ["node", "dist/src/server.js"]
