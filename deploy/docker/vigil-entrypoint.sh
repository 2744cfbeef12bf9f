#!/bin/sh
# `vigil ARGS...` inside the image: JAVA_OPTS split on spaces on purpose; exec so the JVM is PID 1
# and gets SIGTERM directly (Vigil stops cleanly on it).
# shellcheck disable=SC2086
exec java $JAVA_OPTS -jar /opt/vigil/vigil.jar "$@"
