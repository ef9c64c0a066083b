# The gateway as a container: built with the dev dependencies, run with the production ones only, as
# the unprivileged user `node`. scripts/production-rehearsal.sh runs these same steps without Docker.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
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
