# Builds the brewstream.jar image used by docker-compose.yml for the ingress and streams services.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -q -B -DskipTests -Dbrewstream.registry.skip=true package

FROM eclipse-temurin:17-jre
WORKDIR /opt/brewstream
COPY --from=build /src/app/target/brewstream.jar ./brewstream.jar
COPY --from=build /src/app/target/lib ./lib
RUN useradd --system --home /opt/brewstream brewstream && mkdir -p /data && chown brewstream /data
USER brewstream
ENV BREWSTREAM_STATE_DIR=/data/streams
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75", "-jar", "brewstream.jar"]
