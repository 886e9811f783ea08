# Handoff — the two commands are `make run` and `make test`; see README.md.
SHELL := /bin/bash
GO    ?= go
BIN   := bin/handoff

.PHONY: run test generate build fmt vet check-fmt check-generated go-test axe bench clean

## run: build, ensure a database (DATABASE_URL or a local PostgreSQL), migrate, seed the demo org,
## serve on http://127.0.0.1:8080 (this machine only: the demo password is public; HANDOFF_ADDR=:8080 opens it up)
RUN_ADDR ?= $(or $(HANDOFF_ADDR),127.0.0.1:8080)
run:
	@echo "handoff: 1/3 building $(BIN) with $$($(GO) env GOVERSION) (the first build fetches modules and compiles: about a minute)"
	@$(GO) build -o $(BIN) ./cmd/handoff
	@echo "handoff: 2/3 looking for PostgreSQL (DATABASE_URL, else a local server on 127.0.0.1:5432)"
	@url=$$(scripts/ensure-db.sh run) && \
	  echo "handoff: database $$url" && \
	  echo "handoff: 3/3 starting: migrate the schema, seed the demo org on the first run, then listen on $(RUN_ADDR)" && \
	  HANDOFF_ADDR=$(RUN_ADDR) DATABASE_URL=$$url HANDOFF_DEMO=$${HANDOFF_DEMO:-1} HANDOFF_DEMO_DEALS=$${HANDOFF_DEMO_DEALS:-120} exec $(BIN) serve

## test: gofmt, go vet, generated code up to date, every Go test with -race on real PostgreSQL and Chromium
test: check-fmt vet check-generated go-test

build:
	$(GO) build -o $(BIN) ./cmd/handoff

generate:
	$(GO) tool templ generate

fmt:
	gofmt -w $$(git ls-files '*.go')
	$(GO) tool templ fmt web

check-fmt:
	@out=$$(gofmt -l $$(git ls-files -co --exclude-standard '*.go')); \
	if [[ -n "$$out" ]]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

check-generated:
	scripts/check-generated.sh

go-test:
	@url=$$(scripts/ensure-db.sh test) && axe=$$(scripts/axe.sh) && \
	  TEST_DATABASE_URL=$$url HANDOFF_AXE_JS=$$axe $(GO) test -race -count=1 -timeout 20m ./...

## axe: fetch axe-core (the accessibility checks of the browser tests) into .cache/axe
axe:
	@scripts/axe.sh >/dev/null

## bench: seed a fresh database with BENCH_DEALS deals (100000; BENCH_REUSE=1 keeps a matching one), serve it, drive load, print the table and the targets verdict (docs/performance.md)
bench:
	scripts/bench.sh

clean:
	rm -rf bin
