#!/usr/bin/env bash
# Prints Kafka 4.4.0's bytes for KIP-848's consumer group records (see README.md). Needs java 17+ and mvn.
set -euo pipefail
cd "$(dirname "$0")"
mvn -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
java -cp "$(cat target/classpath.txt)" src/main/java/GroupRecordBytes.java
