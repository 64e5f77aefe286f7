#!/usr/bin/env bash
# Regenerates packages/assignors/src/fixtures/kafka-4.4.0-server-assignments.json: seeded random groups assigned by
# Kafka 4.4.0's own server-side assignors (uniform and range). Test tooling only; needs java 17+ and mvn.
set -euo pipefail
cd "$(dirname "$0")"
mvn -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
java -cp "$(cat target/classpath.txt)" src/main/java/ServerAssignorFixture.java \
  > ../../packages/assignors/src/fixtures/kafka-4.4.0-server-assignments.json
