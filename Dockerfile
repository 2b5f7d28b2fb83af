# Parley in a container: the self-contained binary on a minimal, shell-less base.
#   docker build -t parley .
#   docker run -d -p 8000:8000 -v parley-data:/data --stop-timeout 15 parley
# The build stage takes the path test/binary.test.ts checks: install, type check, bun run build,
# then the binary alone goes into the runtime stage.

FROM oven/bun:1.4.5 AS build
WORKDIR /app
COPY package.json bun.lock bunfig.toml ./
RUN bun install --frozen-lockfile
COPY tsconfig.json ./
COPY drizzle ./drizzle
COPY src ./src
COPY test ./test
COPY bench ./bench
COPY scripts ./scripts
COPY examples ./examples
RUN bun run typecheck && bun run build
# The runtime image has no shell to create the volume folder: make it here, owned by nonroot.
RUN mkdir -p /data && chown 65532:65532 /data

# The binary links only glibc (ldd: libc, libm, libpthread, libdl); distroless/cc has glibc and the
# C++ runtime libraries, and no shell or package manager.
FROM gcr.io/distroless/cc-debian12:nonroot
ARG VERSION=dev
LABEL org.opencontainers.image.title="Parley" \
      org.opencontainers.image.description="Self-hosted chatbot API server: REST, WebSocket and Socket.IO on embedded SQLite" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.base.name="gcr.io/distroless/cc-debian12:nonroot"
COPY --from=build /app/dist/parley /usr/local/bin/parley
COPY --from=build --chown=65532:65532 /data /data
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    DATABASE_URL=sqlite:////data/chatbot.db \
    LOG_FORMAT=json
WORKDIR /data
VOLUME /data
EXPOSE 8000
USER nonroot
# No curl in the image: the binary probes its own GET /health/ready.
HEALTHCHECK --interval=15s --timeout=5s --start-period=5s --retries=3 CMD ["/usr/local/bin/parley", "healthcheck"]
# Parley finishes requests and bot replies for up to SHUTDOWN_TIMEOUT_MS (10 s) after SIGTERM:
# give `docker stop` more than that (--stop-timeout / stop_grace_period).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/parley"]
CMD ["serve"]
