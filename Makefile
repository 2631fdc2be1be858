# lcwh: run `make help` for the targets.
GO      ?= go
BIN     ?= bin/lcwh
PKGS    := ./...

.PHONY: help build test test-short fuzz bench lint fmt install clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-20s %s\n", $$1, $$2}'

build: ## build bin/lcwh
	$(GO) build -o $(BIN) ./cmd/lcwh

test: ## run every test: unit, golden, end-to-end (real binary), fuzz seeds
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 $(PKGS)

fuzz: ## fuzz decode + validate for 60s
	$(GO) test ./pkg/payload -run '^$$' -fuzz FuzzDecodeValidate -fuzztime 60s

bench: ## run the Go benchmarks
	$(GO) test ./pkg/... -run '^$$' -bench . -benchmem

fmt: ## format the code
	gofmt -w cmd pkg fixtures

install: ## install lcwh into $GOBIN
	$(GO) install ./cmd/lcwh

clean:
	rm -rf bin dist
