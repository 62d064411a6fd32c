# Rehearse — build, test and run entry point.
#
#   make run     install system packages, build, launch the GUI
#   make test    the whole test suite (unit, SQLCipher, virtual microphone, Fyne, screenshots), with -race
#   make bench   benchmarks, figures written to BENCHMARKS.md
#   make lint    go vet, staticcheck, gofmt, govulncheck (when it installs)
#
# SQLCipher is linked statically. whisper.cpp (voice transcription) comes from
# WHISPER_PREFIX, else `pkg-config whisper`, else a copy `make build` compiles
# once into build/whisper/ (WHISPER_GIT=URL-or-path to clone it from elsewhere,
# WHISPER=off to build without voice).

SHELL       := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
BUILD       := $(CURDIR)/build
BIN         := $(CURDIR)/bin/rehearse
SQLCIPHER_DIR := $(BUILD)/sqlcipher-static
APP_VERSION := $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' cmd/rehearse/FyneApp.toml)
VERSION     ?= $(APP_VERSION)+$(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

# --- whisper.cpp detection -------------------------------------------------
WHISPER         ?= auto
WHISPER_PREFIX  ?=
WHISPER_GIT     ?= https://github.com/ggml-org/whisper.cpp
WHISPER_RELEASE := v1.8.4
WHISPER_COMMIT  := 9386f239401074690479731c1e41683fbbeac557
WHISPER_DIR     := $(BUILD)/whisper
WHISPER_BUILT   := $(shell grep -qsx 'commit=$(WHISPER_COMMIT)' $(WHISPER_DIR)/stamp && \
                     test -f $(WHISPER_DIR)/prefix/include/whisper.h && echo yes)

ifeq ($(WHISPER),off)
  WHISPER_ORIGIN  :=
else ifneq ($(WHISPER_PREFIX),)
  WHISPER_ORIGIN  := prefix $(WHISPER_PREFIX)
  WHISPER_CFLAGS  := -I$(WHISPER_PREFIX)/include
  WHISPER_LDFLAGS := -L$(WHISPER_PREFIX)/lib
else ifeq ($(shell pkg-config --exists whisper 2>/dev/null && echo yes),yes)
  WHISPER_ORIGIN  := system package (pkg-config whisper $(shell pkg-config --modversion whisper))
  WHISPER_CFLAGS  := $(shell pkg-config --cflags-only-I whisper)
  WHISPER_LDFLAGS := $(shell pkg-config --libs-only-L whisper)
else ifeq ($(WHISPER_BUILT),yes)
  WHISPER_ORIGIN  := built by Rehearse at commit $(WHISPER_COMMIT) from $(shell sed -n 's/^source=//p' $(WHISPER_DIR)/stamp)
  WHISPER_CFLAGS  := -I$(WHISPER_DIR)/prefix/include
  WHISPER_LDFLAGS := -L$(WHISPER_DIR)/prefix/lib
endif
WHISPER_TAG := $(if $(WHISPER_ORIGIN),whisper)

comma := ,
empty :=
space := $(empty) $(empty)
TAGS  := libsqlite3 $(WHISPER_TAG)

export GOFLAGS     := -tags=$(subst $(space),$(comma),$(strip $(TAGS)))
export CGO_ENABLED := 1
export CGO_CFLAGS  := -O2 -I/usr/include/sqlcipher $(WHISPER_CFLAGS)
export CGO_LDFLAGS := -L$(SQLCIPHER_DIR) $(WHISPER_LDFLAGS) -lsqlite3 -lcrypto -lm
LDFLAGS := -X main.version=$(VERSION) -X 'main.whisperOrigin=$(WHISPER_ORIGIN)'

GO_TEST_TIMEOUT ?= 20m
FUZZTIME ?= 10s

.PHONY: all deps libs build binary whisper run test bench lint fuzz clean env sqlcipher

all: build

## deps: install every system package the build and the tests need (idempotent)
deps:
	@bash .ci/deps.sh

## sqlcipher: a private link directory in which libsqlite3.a is SQLCipher 4
sqlcipher: $(SQLCIPHER_DIR)/libsqlite3.a

$(SQLCIPHER_DIR)/libsqlite3.a:
	@libdir=$$(pkg-config --variable=libdir sqlcipher 2>/dev/null || true); \
	if [ -z "$$libdir" ] || [ ! -f "$$libdir/libsqlcipher.a" ]; then \
	  echo "SQLCipher 4 (static library) not found: install libsqlcipher-dev (Debian 12: from bookworm-backports; run 'make deps')" >&2; exit 1; fi; \
	ver=$$(pkg-config --modversion sqlcipher); minor=$$(echo "$$ver" | cut -d. -f2); \
	if [ "$${minor:-0}" -lt 40 ]; then echo "SQLCipher built on SQLite $$ver is too old (need SQLCipher 4.x): on Debian 12 install libsqlcipher-dev from bookworm-backports ('make deps')" >&2; exit 1; fi; \
	mkdir -p $(SQLCIPHER_DIR); ln -sf "$$libdir/libsqlcipher.a" $(SQLCIPHER_DIR)/libsqlite3.a; \
	echo "linking SQLCipher (SQLite $$ver) statically from $$libdir/libsqlcipher.a"

## libs: every native library the build links, each named with the package that provides it
libs:
	@missing=0; for pair in portaudio-2.0:portaudio19-dev gl:libgl1-mesa-dev x11:libx11-dev xrandr:libxrandr-dev \
	  xcursor:libxcursor-dev xinerama:libxinerama-dev xi:libxi-dev xxf86vm:libxxf86vm-dev alsa:libasound2-dev libcrypto:libssl-dev; do \
	  mod=$${pair%%:*}; pkg=$${pair#*:}; \
	  if ! pkg-config --exists $$mod 2>/dev/null; then \
	    echo "missing native library $$mod: install $$pkg (Debian/Ubuntu), or run 'make deps'" >&2; missing=1; fi; \
	done; exit $$missing

## build: bin/rehearse (first compiles whisper.cpp into build/whisper/ when no copy is found)
build: libs sqlcipher whisper
	@$(MAKE) --no-print-directory binary

# A new make reads the whisper.cpp that the step before may just have built.
binary:
	@if [ -n "$(WHISPER_TAG)" ]; then echo "voice transcription: whisper.cpp, $(WHISPER_ORIGIN)"; \
	 elif [ "$(WHISPER)" = off ]; then echo "note: WHISPER=off: building without voice transcription"; fi
	go build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/rehearse

## whisper: fetch and compile whisper.cpp $(WHISPER_RELEASE) into build/whisper/ unless a copy is found
whisper:
ifneq ($(WHISPER),off)
ifeq ($(WHISPER_TAG),)
	@bash .ci/whisper.sh '$(WHISPER_GIT)' $(WHISPER_RELEASE) $(WHISPER_COMMIT) '$(WHISPER_DIR)'
endif
endif

## run: install, build and open the app
run: deps build
	@if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ] && [ "$$(uname)" = Linux ]; then \
	  echo "No display found (DISPLAY/WAYLAND_DISPLAY unset): the window cannot open here."; \
	  echo "Use the command line instead, for example:"; \
	  echo "  $(BIN) --help"; \
	  echo "  $(BIN) doctor"; \
	  echo "  echo 'So, I led the migration and cut costs by 20%.' | $(BIN) analyze --type behavioral -"; \
	else $(BIN); fi

## test: the whole suite under Xvfb and a private D-Bus session with a Secret Service keyring
test: deps libs sqlcipher
	@bash .ci/with-services.sh go test -race -count=1 -timeout $(GO_TEST_TIMEOUT) ./...

## bench: benchmarks; figures written to BENCHMARKS.md
bench: sqlcipher
	@bash .ci/with-services.sh bash .ci/bench.sh BENCHMARKS.md

## fuzz: every fuzz target for FUZZTIME each
fuzz: sqlcipher
	@bash .ci/fuzz.sh $(FUZZTIME)

## lint: go vet, staticcheck, gofmt, govulncheck
lint: sqlcipher
	@bash .ci/lint.sh

## --- desktop install ------------------------------------------------------
# install/uninstall: the binary, a .desktop entry and the icon where desktops
# look for them; per user by default, PREFIX=/usr/local (with sudo) for everyone.
# Fyne's packaging tool writes the entry and names the icon from
# cmd/rehearse/FyneApp.toml; the binary is the one `make build` links (cgo,
# static SQLCipher). The tool is pinned here, not in go.mod: fyne.io/tools
# v1.7.x requires Fyne v2.8, which go.mod would then impose on the app.
FYNE_TOOL_VERSION ?= v1.7.4
FYNE      ?= env CGO_ENABLED=0 GOFLAGS= go run fyne.io/tools/cmd/fyne@$(FYNE_TOOL_VERSION)
PREFIX    ?= $(HOME)/.local
DESTDIR   ?=
BINDIR    := $(PREFIX)/bin
APPSDIR   := $(PREFIX)/share/applications
ICONDIR   := $(PREFIX)/share/icons/hicolor/256x256/apps
APP_ID    := $(shell sed -n 's/^ID *= *"\(.*\)"/\1/p' cmd/rehearse/FyneApp.toml)
DESKTOP_STAGE := $(BUILD)/desktop

.PHONY: install uninstall desktop-entry

## desktop-entry: the .desktop entry and icon from FyneApp.toml, staged in build/desktop
desktop-entry:
	@rm -rf $(DESKTOP_STAGE); mkdir -p $(DESKTOP_STAGE)/exe $(DESKTOP_STAGE)/_src
	@# fyne packages the executable it is given; an empty stand-in named like
	@# the binary keeps the archive small, the real binary is installed below
	@: > $(DESKTOP_STAGE)/exe/rehearse
	@# the tool rewrites FyneApp.toml (it bumps Build) in the folder it packages:
	@# give it a copy, so installing never changes the source tree; the copy's
	@# folder starts with "_" so that 'go ... ./...' never takes it for a package
	cp cmd/rehearse/main.go $(DESKTOP_STAGE)/_src/
	sed 's|^Icon *=.*|Icon = "$(CURDIR)/assets/icon.png"|' cmd/rehearse/FyneApp.toml > $(DESKTOP_STAGE)/_src/FyneApp.toml
	cd $(DESKTOP_STAGE) && $(FYNE) package --os linux --src $(DESKTOP_STAGE)/_src --executable $(DESKTOP_STAGE)/exe/rehearse
	tar -xJf $(DESKTOP_STAGE)/*.tar.xz -C $(DESKTOP_STAGE)

## install: bin/rehearse, its .desktop entry and icon under PREFIX (default ~/.local)
install: desktop-entry
	@if [ ! -x $(BIN) ]; then echo "$(BIN) is missing: run 'make build' first" >&2; exit 1; fi
	@got=$$($(BIN) version); case "$$got" in "rehearse $(VERSION) "*) ;; *) \
	  echo "$(BIN) reports '$$got', not version $(VERSION) of this source tree: run 'make build' first" >&2; exit 1;; esac
	install -Dm0755 $(BIN) $(DESTDIR)$(BINDIR)/rehearse
	install -Dm0644 $$(find $(DESKTOP_STAGE)/rehearse -name '$(APP_ID).png') $(DESTDIR)$(ICONDIR)/$(APP_ID).png
	@# the entry names the binary by its full path: ~/.local/bin is not always on PATH
	sed 's|^Exec=rehearse|Exec=$(BINDIR)/rehearse|' $$(find $(DESKTOP_STAGE)/rehearse -name '$(APP_ID).desktop') > $(DESKTOP_STAGE)/$(APP_ID).desktop
	install -Dm0644 $(DESKTOP_STAGE)/$(APP_ID).desktop $(DESTDIR)$(APPSDIR)/$(APP_ID).desktop
	@echo "installed Rehearse $(VERSION) under $(DESTDIR)$(PREFIX)"

## uninstall: remove exactly the three files install wrote (folders are shared and stay)
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/rehearse $(DESTDIR)$(APPSDIR)/$(APP_ID).desktop $(DESTDIR)$(ICONDIR)/$(APP_ID).png
	@echo "uninstalled Rehearse from $(DESTDIR)$(PREFIX)"

## env: print the build environment, for `eval "$$(make -s env)"`
env:
	@echo "export GOFLAGS='$(GOFLAGS)' CGO_ENABLED=1 CGO_CFLAGS='$(CGO_CFLAGS)' CGO_LDFLAGS='$(CGO_LDFLAGS)'"

clean:
	rm -rf $(BUILD) bin
	go clean -testcache
