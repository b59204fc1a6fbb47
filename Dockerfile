# DanceDynamics server image: built on Debian 12, run on Debian 12 slim as a non-root user.
#   docker build -t dancedynamics . && docker run -p 7860:7860 -v dd-data:/data dancedynamics
FROM debian:12 AS build
RUN apt-get update && apt-get install -y --no-install-recommends bash ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# setup.sh installs the Debian build packages, the checked models and the web vendor files.
RUN bash scripts/setup.sh \
    && cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DDD_BUILD_TESTS=OFF -DDD_BUILD_BENCH=OFF \
    && cmake --build build --target dancedynamics -j "$(nproc)"

FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
      libavformat59 libavcodec59 libavutil57 libswscale6 libswresample4 \
      libopencv-core406 libopencv-imgproc406 libopencv-imgcodecs406 \
      libxnnpack0 libpthreadpool0 libfftw3-single3 \
      libsqlite3-0 libpq5 libssl3 libspdlog1.10 libfmt9 curl ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /app --shell /usr/sbin/nologin dancedynamics \
    && mkdir -p /data && chown dancedynamics /data
COPY --from=build /src/build/src/app/dancedynamics /usr/local/bin/dancedynamics
COPY --from=build /src/models /app/models
COPY --from=build /src/web /app/web
ENV API_HOST=0.0.0.0 API_PORT=7860 DATA_DIR=/data WEB_DIR=/app/web DD_MODEL_DIR=/app/models
USER dancedynamics
VOLUME ["/data"]
EXPOSE 7860
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s CMD curl -fsS "http://127.0.0.1:${API_PORT:-7860}/health" || exit 1
STOPSIGNAL SIGTERM
CMD ["dancedynamics", "serve"]
