#!/usr/bin/env bash
# Builds (when needed) and starts the deskbridge web chat, then prints its URL.
#
#   ./webchat.sh                                   the example desk on http://localhost:8080
#   ./webchat.sh -Dwebchat.port=9090               any key as -Dkey=value (or as an environment variable:
#   WEBCHAT_PORT=9090 DESK=genesys ./webchat.sh     WEBCHAT_PORT, DESK, GENESYS_CLIENT_SECRET...)
#   ./webchat.sh --config my.properties            keys from a properties file
#   ./webchat.sh --genesys-simulator               the Genesys desk against the Genesys simulator in this process;
#                                                  prints the agent console's URL (play the agent there)
#
# Only a JDK (17 or newer) is needed: the Maven wrapper downloads Maven and the dependencies on the first run.
# The build is skipped when the runnable jar is newer than every source file; set DESKBRIDGE_REBUILD=1 to force it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

if ! command -v java >/dev/null 2>&1; then
  echo "The web chat needs Java 17 or newer: install a JDK (for example 'apt-get install openjdk-17-jdk') and try again." >&2
  exit 1
fi

version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n 1)"
jar="webchat/target/deskbridge-webchat-${version}-all.jar"

needs_build() {
  [[ "${DESKBRIDGE_REBUILD:-}" == "1" ]] && return 0
  [[ -f "$jar" ]] || return 0
  [[ -n "$(find pom.xml ./*/pom.xml ./*/src/main -newer "$jar" -type f -print -quit 2>/dev/null)" ]]
}

if needs_build; then
  echo "Building the web chat (the first build downloads Maven and the dependencies; later ones take seconds)..." >&2
  ./mvnw -q -B -DskipTests -pl webchat -am package
fi

# -Dkey=value arguments configure the JVM; everything else goes to the web chat (--config FILE).
jvm_args=()
app_args=()
for arg in "$@"; do
  case "$arg" in
    -D*|-X*) jvm_args+=("$arg") ;;
    *) app_args+=("$arg") ;;
  esac
done

exec java ${JAVA_OPTS:-} "${jvm_args[@]+"${jvm_args[@]}"}" -jar "$jar" "${app_args[@]+"${app_args[@]}"}"
