# Build, install and package ghc-api.
#   make install PREFIX=~/.local     release build with a static Swift standard library, installed under PREFIX
#   make uninstall PREFIX=~/.local   removes what install put there
#   make dist                        dist/ghc-api-VERSION-OS-ARCH.tar.gz and its .sha256
# DESTDIR stages an install for packaging. CONFIGURATION=debug, STATIC= and SCRATCH=.build reuse a debug build.

PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
CONFIGURATION ?= release
STATIC ?= --static-swift-stdlib
SCRATCH ?= .build-install
# Debug info and symbols are more than half of a release binary (195 MB unstripped, 91 MB stripped); STRIP= keeps them.
STRIP ?= strip

BINDIR := $(DESTDIR)$(PREFIX)/bin
MANDIR := $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR := $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR := $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

VERSION := $(shell sed -n 's/.*current = "\(.*\)"/\1/p' Sources/GHCCore/Files/GHCVersion.swift)
OS := $(shell uname -s | tr A-Z a-z)
ARCH := $(shell uname -m)
BINARY := $(SCRATCH)/$(CONFIGURATION)/ghc-api
DIST := ghc-api-$(VERSION)-$(OS)-$(ARCH)

.PHONY: all build install uninstall dist clean

all: build

build:
	$(SWIFT) build -c $(CONFIGURATION) --product ghc-api $(STATIC) --scratch-path $(SCRATCH)

install: build
	install -d "$(BINDIR)" "$(MANDIR)" "$(BASHDIR)" "$(ZSHDIR)" "$(FISHDIR)"
	install -m 0755 "$(BINARY)" "$(BINDIR)/ghc-api"
	$(if $(STRIP),$(STRIP) "$(BINDIR)/ghc-api")
	install -m 0644 man/ghc-api.1 "$(MANDIR)/ghc-api.1"
	install -m 0644 completions/ghc-api.bash "$(BASHDIR)/ghc-api"
	install -m 0644 completions/ghc-api.zsh "$(ZSHDIR)/_ghc-api"
	install -m 0644 completions/ghc-api.fish "$(FISHDIR)/ghc-api.fish"
	@echo "Installed ghc-api $(VERSION) in $(BINDIR)"

uninstall:
	rm -f "$(BINDIR)/ghc-api" "$(MANDIR)/ghc-api.1" "$(BASHDIR)/ghc-api" "$(ZSHDIR)/_ghc-api" "$(FISHDIR)/ghc-api.fish"

dist: build
	rm -rf "dist/$(DIST)" "dist/$(DIST).tar.gz" "dist/$(DIST).tar.gz.sha256"
	$(MAKE) install PREFIX= DESTDIR="$(CURDIR)/dist/$(DIST)" CONFIGURATION=$(CONFIGURATION) STATIC="$(STATIC)" SCRATCH=$(SCRATCH) \
		SWIFT=$(SWIFT) STRIP="$(STRIP)"
	install -m 0644 README.md LICENSE "dist/$(DIST)/"
	tar -C dist -czf "dist/$(DIST).tar.gz" "$(DIST)"
	cd dist && sha256sum "$(DIST).tar.gz" > "$(DIST).tar.gz.sha256"
	@echo "dist/$(DIST).tar.gz"; cat "dist/$(DIST).tar.gz.sha256"

clean:
	rm -rf "$(SCRATCH)" dist
