# Handoff — the two commands are `make run` and `make test`; see README.md.
SHELL := /bin/bash
GO    ?= go
BIN   := bin/handoff

.PHONY: run test generate build fmt vet check-fmt check-generated go-test bench clean

## run: ensure a database (DATABASE_URL or a local PostgreSQL), migrate, seed the demo org, serve on :8080
run: build
	@url=$$(scripts/ensure-db.sh run) && \
	  echo "handoff: database $$url" && \
	  DATABASE_URL=$$url HANDOFF_DEMO=$${HANDOFF_DEMO:-1} HANDOFF_DEMO_DEALS=$${HANDOFF_DEMO_DEALS:-120} exec $(BIN) serve

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
	@url=$$(scripts/ensure-db.sh test) && \
	  TEST_DATABASE_URL=$$url $(GO) test -race -count=1 -timeout 10m ./...

## bench: seed a fresh database with BENCH_DEALS deals (100000), serve it, drive load, print the table (docs/performance.md)
bench:
	scripts/bench.sh

clean:
	rm -rf bin
