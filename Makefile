# lcwh: run `make help` for the targets.
GO      ?= go
BIN     ?= bin/lcwh
PKGS    := ./...
TOOLS   := $(CURDIR)/bin/tools

# Pinned tool versions, installed into bin/tools by `go install`.
# goreleaser v2.16.0 is the newest that builds with Go 1.26 from the module
# proxy (v2.18 needs Go 1.27; v2.17 needs a module the proxy does not serve).
STATICCHECK_VERSION := v0.8.2
GORELEASER_VERSION  := v2.16.0
STATICCHECK := $(TOOLS)/staticcheck
GORELEASER  := $(TOOLS)/goreleaser

SHELLS := bash zsh fish powershell

.PHONY: help build test test-short fuzz bench bench-quick lint fmt install clean \
	completions completions-check docs docs-check man generate-check \
	snapshot release-check tools

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-20s %s\n", $$1, $$2}'

# Static (no cgo: no dynamic loader at start-up), without the symbol table
# and DWARF (a smaller binary maps and faults in fewer pages), as releases
# are built (.goreleaser.yaml). Start-up time is a benchmark (bench/run.sh).
BUILDFLAGS := -trimpath -ldflags '-s -w'
MAIN       ?= ./cmd/lcwh

build: ## build bin/lcwh (static, stripped: as releases are)
	CGO_ENABLED=0 $(GO) build $(BUILDFLAGS) -o $(BIN) $(MAIN)

test: ## run every test: unit, golden, end-to-end (real binary), fuzz seeds; then the drift checks
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 $(PKGS)
	$(MAKE) --no-print-directory generate-check

fuzz: ## fuzz decode + validate for 60s
	$(GO) test ./pkg/payload -run '^$$' -fuzz FuzzDecodeValidate -fuzztime 60s

bench: ## Go benchmarks, then lcwh side by side with ajv-cli, wrk, hey (bench/README.md)
	$(GO) test ./pkg/... -run '^$$' -bench . -benchmem
	bench/run.sh

bench-quick: ## the side-by-side benchmarks on smaller corpora, fewer runs
	bench/run.sh --quick

fmt: ## format the code
	gofmt -w cmd pkg fixtures internal

lint: $(STATICCHECK) ## go vet, gofmt check and staticcheck (pinned)
	$(GO) vet $(PKGS)
	@out=$$(gofmt -l cmd pkg fixtures internal); if [ -n "$$out" ]; then echo "gofmt needed (run make fmt):"; echo "$$out"; exit 1; fi
	$(STATICCHECK) $(PKGS)

install: ## install lcwh into $GOBIN (static, stripped)
	CGO_ENABLED=0 $(GO) install $(BUILDFLAGS) ./cmd/lcwh

# Generated files. Each generator writes into a directory it empties
# first, so commands that disappear lose their files too; the checks
# generate into a temporary directory and compare whole trees, so they
# follow the command tree as it grows.
completions: build ## regenerate completions/ from the binary
	@scripts/gen.sh completions completions $(BIN)

docs: ## regenerate the Markdown reference in docs/reference from the command tree
	@scripts/gen.sh docs docs/reference $(BIN)

man: ## generate man pages into man/ (not committed; release archives carry them)
	@scripts/gen.sh man man $(BIN)

completions-check: build ## fail when completions/ differs from what the binary generates
	@scripts/gen.sh check completions completions $(BIN)

docs-check: ## fail when docs/reference differs from the command tree
	@scripts/gen.sh check docs docs/reference $(BIN)

generate-check: completions-check docs-check ## every drift check

tools: $(STATICCHECK) $(GORELEASER) ## install the pinned tools into bin/tools

$(STATICCHECK):
	GOBIN=$(TOOLS) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

$(GORELEASER):
	GOBIN=$(TOOLS) $(GO) install github.com/goreleaser/goreleaser/v2@$(GORELEASER_VERSION)

snapshot: $(GORELEASER) ## full local release: every platform, archives, packages, checksums (into dist/)
	$(GORELEASER) release --snapshot --clean

release-check: $(GORELEASER) ## goreleaser check + a snapshot build for this platform only (what CI runs)
	$(GORELEASER) check
	$(GORELEASER) build --snapshot --clean --single-target
	@bin=$$(find dist -type f -name 'lcwh*' -perm -u+x | head -n1); \
	  echo "built $$bin"; $$bin version | grep -q SNAPSHOT || { echo "version not stamped: $$($$bin version)"; exit 1; }

clean:
	rm -rf bin dist man

.PHONY: screenshots
screenshots: ## regenerate docs/inspector.png and docs/inspector-dark.png (needs chromium)
	$(GO) test ./internal/e2e -run TestInspectorInBrowser -count=1 -args -docs
