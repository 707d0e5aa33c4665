# frontiersim: make run (the default experiment), make test (the whole suite).
GO        ?= go
OUT       ?= out/default
BIN       := bin/runsim
PKGS      := ./...

.PHONY: all build run test test-race test-slow bench lint fmt-check vet clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/runsim

# Runs the embedded default experiment (baseline plus the four policy levers)
# and writes its tables, charts and report to $(OUT).
run: build
	./$(BIN) run -o $(OUT)

# The whole suite: vet, the fast tests under the race detector, then the long
# statistical tests (stylized facts, policy levers) without -race, which would
# make them ~10x slower without checking anything the race run does not.
test: vet test-race test-slow

vet:
	$(GO) vet $(PKGS)

test-race:
	$(GO) test -race -short $(PKGS)

test-slow:
	$(GO) test -count=1 -run 'Slow' $(PKGS)

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./engine/ ./market/

lint:
	$(GO) tool -modfile=tools/go.mod staticcheck $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

clean:
	rm -rf bin
