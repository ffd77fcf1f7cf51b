# Sourced by ./mvnw and deploy/local/*: finds a JDK >= 21 and exports JAVA_HOME (and puts it first on PATH).
# Order: $JAVA_HOME, `java` on PATH, then every JDK under /usr/lib/jvm (newest first).

tollgate_java_major() { # prints the major version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

tollgate_select_jdk() {
  local candidate home major
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for home in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${home%/}"); done
  for home in "${candidates[@]}"; do
    candidate="$home/bin/java"
    [ -x "$candidate" ] || continue
    major=$(tollgate_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$home"
      export PATH="$home/bin:$PATH"
      return 0
    fi
  done
  echo "Tollgate needs a JDK 21 or newer; none found in JAVA_HOME, on PATH or under /usr/lib/jvm." >&2
  echo "Install one (e.g. Temurin 21/25) and set JAVA_HOME to it." >&2
  return 1
}
