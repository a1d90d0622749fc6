#!/usr/bin/env bash
# The README's first command, as a new user runs it: a fresh clone of this commit, `npm install`
# WITHOUT ELECTRON_SKIP_BINARY_DOWNLOAD (the binary's download fails on a network that blocks GitHub,
# and the install must not), then `npm start`, which must print a console URL that answers, and the
# clone must still be clean. Everything it started is stopped. Called by .ci/run.
set -euo pipefail
source_repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
clone="$work/omo-store-console"
started=''
cleanup() {
  if [ -n "$started" ]; then kill -TERM -- "-$started" 2>/dev/null || true; fi
  for _ in $(seq 1 50); do
    if [ -z "$started" ] || ! kill -0 -- "-$started" 2>/dev/null; then break; fi
    sleep 0.2
  done
  if [ -n "$started" ]; then kill -KILL -- "-$started" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

git clone --quiet "$source_repo" "$clone"
cd "$clone"
unset ELECTRON_SKIP_BINARY_DOWNLOAD
echo '$ npm install'
t0=$(date +%s)
timeout 900 npm install --no-audit --no-fund 2>&1 | tail -n 5
echo "(npm install: $(($(date +%s) - t0)) s)"

echo '$ npm start'
t1=$(date +%s)
setsid npm start >"$work/start.log" 2>&1 &
started=$!
url=''
for _ in $(seq 1 900); do # 180 s at most
  url="$(grep -oE 'Open: +http://[^ ]+' "$work/start.log" | head -n 1 | awk '{print $2}' || true)"
  if [ -n "$url" ] && curl -fsS -o /dev/null "$url"; then break; fi
  if ! kill -0 "$started" 2>/dev/null; then
    cat "$work/start.log"
    echo 'npm start exited before serving the console' >&2
    exit 1
  fi
  url=''
  sleep 0.2
done
cat "$work/start.log"
if [ -z "$url" ]; then
  echo 'npm start did not serve a console URL within 180 s' >&2
  exit 1
fi
echo "(console answered at $url after $(($(date +%s) - t1)) s)"
# The browser must open on the sign-in screen, not on an enrollment form a newcomer cannot fill.
grep -qE 'Console (enrolled to the demo hub|already enrolled)' "$work/start.log" || {
  echo 'npm start did not enroll the console to the demo hub' >&2
  exit 1
}

dirty="$(git status --porcelain)"
if [ -n "$dirty" ]; then
  echo "the clone is dirty after npm install && npm start:" >&2
  echo "$dirty" >&2
  git diff --stat >&2
  exit 1
fi
echo 'git status --porcelain: clean'
