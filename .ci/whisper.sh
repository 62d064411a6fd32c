#!/usr/bin/env bash
# Fetches whisper.cpp at a pinned release and compiles it as a static,
# CPU-only, portable library into DIR/prefix, for `make build` when no system
# package or WHISPER_PREFIX provides it.
#
#   .ci/whisper.sh SOURCE TAG COMMIT DIR
#
# SOURCE is a git URL or a local repository path, TAG the release tag and
# COMMIT the commit id that tag must have: anything else is refused. The
# result is DIR/prefix plus DIR/stamp (commit, source, time), written last so
# that an interrupted run is redone. This script never fails the build: when
# whisper.cpp cannot be had (no network, a wrong commit, a failed compile) it
# prints one line saying why and what to do, and exits 0; Rehearse is then
# built without voice transcription. A failed compile is remembered (DIR/failed)
# so that later builds do not spend minutes on it again.
set -euo pipefail

src=${1:?source} tag=${2:?tag} commit=${3:?commit} dir=${4:?dir}
# Reaching the source must answer within this many seconds (no network must
# not stall the build); the download itself gives up when it stalls.
probe_timeout=${WHISPER_PROBE_TIMEOUT:-30}
clone_timeout=${WHISPER_CLONE_TIMEOUT:-600}

fallback() {
  echo "note: building without voice transcription: $*" >&2
  exit 0
}
retry="run 'make build' again, or set WHISPER_GIT=<mirror of whisper.cpp>, WHISPER_PREFIX=<installed whisper.cpp>, or WHISPER=off"
# Whatever goes wrong here, the build goes on without voice.
trap 'fallback "unexpected error in .ci/whisper.sh (line $LINENO); $retry"' ERR

if [ -f "$dir/stamp" ] && grep -qx "commit=$commit" "$dir/stamp" && [ -f "$dir/prefix/include/whisper.h" ]; then
  exit 0
fi
if [ -f "$dir/failed" ] && grep -qx "source=$src" "$dir/failed"; then
  fallback "whisper.cpp $tag from $src failed to compile earlier (log: $dir/build.log); fix that and delete $dir to try again, or set WHISPER=off"
fi

for tool in git cmake g++; do
  command -v "$tool" >/dev/null 2>&1 || fallback "$tool is not installed, so whisper.cpp cannot be compiled; run 'make deps' (or install $tool), then 'make build'"
done

# git clone honours --depth only for URLs, so a local path becomes file://.
url=$src
if [ -d "$src" ]; then url="file://$(cd "$src" && pwd)"; fi

# Never ask for credentials, never wait on a dead connection.
export GIT_TERMINAL_PROMPT=0 GIT_ASKPASS=/bin/true SSH_ASKPASS=/bin/true
export GIT_SSH_COMMAND="ssh -o BatchMode=yes -o ConnectTimeout=$probe_timeout"
gitq=(git -c http.lowSpeedLimit=1000 -c http.lowSpeedTime=20 -c advice.detachedHead=false -c credential.helper=)

# One small round trip first: it tells "unreachable" apart quickly and lets a
# moved tag be refused before anything is downloaded.
mkdir -p "$dir"
rc=0
refs=$(timeout -k 5 "$probe_timeout" "${gitq[@]}" ls-remote "$url" "refs/tags/$tag" "refs/tags/$tag^{}" 2>"$dir/clone.log") || rc=$?
if [ $rc = 124 ] || [ $rc = 137 ]; then
  fallback "no answer from $src within ${probe_timeout} s, so whisper.cpp $tag was not fetched (no network?); $retry"
elif [ $rc != 0 ]; then
  fallback "cannot fetch whisper.cpp $tag from $src ($(grep -m1 . "$dir/clone.log" || echo "git ls-remote failed")); $retry"
fi
[ -n "$refs" ] || fallback "$src has no tag $tag; $retry"
remote=$(awk -v t="refs/tags/$tag^{}" '$2 == t { print $1 }' <<<"$refs")
[ -n "$remote" ] || remote=$(awk '{ print $1; exit }' <<<"$refs")
if [ "$remote" != "$commit" ]; then
  fallback "refusing whisper.cpp from $src: tag $tag is commit $remote, not the pinned $commit; use the official repository or a faithful mirror (WHISPER_GIT=...), or WHISPER=off"
fi

rm -rf "$dir/src" "$dir/cmake" "$dir/prefix" "$dir/stamp" "$dir/failed"
echo "whisper.cpp: cloning $tag from $src"
start=$SECONDS
if ! timeout -k 5 "$clone_timeout" "${gitq[@]}" clone --quiet --depth 1 --branch "$tag" "$url" "$dir/src" >"$dir/clone.log" 2>&1; then
  rm -rf "$dir/src"
  fallback "cloning whisper.cpp $tag from $src failed or stalled ($(tail -1 "$dir/clone.log")); $retry"
fi
head=$(git -C "$dir/src" rev-parse HEAD)
if [ "$head" != "$commit" ]; then
  rm -rf "$dir/src"
  fallback "refusing whisper.cpp from $src: $tag checked out as commit $head, not the pinned $commit; use the official repository or a faithful mirror (WHISPER_GIT=...), or WHISPER=off"
fi

echo "whisper.cpp: cloned commit $head in $((SECONDS - start)) s"

# Static, CPU-only and portable: GGML_NATIVE=OFF compiles for a fixed x86-64
# feature level (AVX2/FMA/F16C) instead of this machine's CPU, so the binary
# runs on other computers too. SOURCE_DATE_EPOCH would turn those features
# off as well, so it is not passed on.
start=$SECONDS
echo "whisper.cpp: compiling $tag (static, CPU-only; a few minutes the first time, log in $dir/build.log)"
if ! (
  unset SOURCE_DATE_EPOCH
  cmake -S "$dir/src" -B "$dir/cmake" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$dir/prefix" \
    -DBUILD_SHARED_LIBS=OFF -DGGML_NATIVE=OFF -DGGML_CCACHE=OFF \
    -DWHISPER_BUILD_EXAMPLES=OFF -DWHISPER_BUILD_TESTS=OFF -DWHISPER_BUILD_SERVER=OFF &&
    cmake --build "$dir/cmake" --config Release -j "$(nproc 2>/dev/null || echo 2)" &&
    cmake --install "$dir/cmake" --prefix "$dir/prefix"
) >"$dir/build.log" 2>&1; then
  rm -rf "$dir/prefix"
  printf 'source=%s\ncommit=%s\n' "$src" "$commit" >"$dir/failed"
  fallback "whisper.cpp $tag failed to compile ($(grep -m1 -iE 'error' "$dir/build.log" || tail -1 "$dir/build.log"); full log: $dir/build.log); fix that and delete $dir to try again, or set WHISPER=off"
fi
# The source and intermediate objects are not needed to link Rehearse.
rm -rf "$dir/src" "$dir/cmake"
printf 'commit=%s\nsource=%s\ntag=%s\nbuilt=%s\n' "$commit" "$src" "$tag" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$dir/stamp"
echo "whisper.cpp: $tag built in $((SECONDS - start)) s into $dir/prefix"
