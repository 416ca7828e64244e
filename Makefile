# Development and CI entry points. Needs Go, git and bash; the scripts install the rest when
# missing: PostgreSQL (scripts/ensure-postgres.sh), Node.js for GraphiQL's browser bundles
# (scripts/graphiql-assets.sh) and for the GraphQL-over-HTTP audit (scripts/ensure-audit.sh), and
# for the tests chromium, curl and jq (scripts/ensure-test-tools.sh; the tests run the README's sh
# examples).

DATABASE_URL      ?= postgres://postgres@127.0.0.1:5432/zhuguan?sslmode=disable
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
JWT_SECRET        ?= dev-only-secret-change-me-please
PORT              ?= 8080
export DATABASE_URL TEST_DATABASE_URL JWT_SECRET PORT

SHELL := /bin/bash
BIN := bin/zhuguan

.PHONY: run test fuzz gen-check generate build graphiql-assets soak

# Start a local server on :$(PORT) with migrated schema and demo data.
run: build
	scripts/ensure-postgres.sh
	$(BIN) migrate
	$(BIN) seed-demo
	$(BIN)

# Tests create their own databases, so they only need the server to answer; the browser test
# needs the bundles embedded and chromium, the README examples curl and jq, and the
# GraphQL-over-HTTP audit (httpapi/conformance_test.go) node and the npm packages scripts/audit pins.
# After the tests, every fuzz target runs briefly (scripts/fuzz.sh: 10s each, two minutes in all).
test: graphiql-assets
	DATABASE_URL="$$TEST_DATABASE_URL" scripts/ensure-postgres.sh
	scripts/ensure-test-tools.sh
	scripts/ensure-audit.sh
	$(MAKE) gen-check
	go vet ./...
	go test -race -count=1 ./...
	FUZZTIME=10s FUZZ_BUDGET=120 scripts/fuzz.sh

# Every fuzz target of the module for a minute each (make test gives each 10s, two minutes in all).
fuzz:
	FUZZTIME=60s scripts/fuzz.sh

# The soak (not part of test): the real binary on a database of its own at a school's scale (the
# seed takes minutes), 32 clients of the portal's reads and the hire cycle's writes, alone for 20 s
# and then for SOAK_DURATION with a hostile client sending issue 11's abuse documents; it fails on
# any failed request, a hostile document not refused, or server RSS not flat or not under 150 MB.
SOAK_DURATION ?= 60s
soak:
	DATABASE_URL="$$TEST_DATABASE_URL" scripts/ensure-postgres.sh
	go run ./bench -mode soak -duration $(SOAK_DURATION) -concurrency 32

# Regenerate and fail if that changed any Go file under graph/ or resolvers/: the committed
# generated code must match schema.graphqls and gqlgen.yml.
GEN_SUM = find graph resolvers -name '*.go' -type f | LC_ALL=C sort | xargs sha256sum
gen-check:
	@before="$$($(GEN_SUM))"; \
	go generate ./... || exit 1; \
	after="$$($(GEN_SUM))"; \
	if [ "$$before" != "$$after" ]; then \
		echo "gen-check: FAILED: go generate changed these files; run 'make generate' and commit them:" >&2; \
		diff <(echo "$$before") <(echo "$$after") | grep '^>' | awk '{print $$3}' >&2; \
		exit 1; \
	fi

generate:
	go generate ./...

# GraphiQL's bundles, at the versions of web/graphiql/package-lock.json, into the folder the
# binary embeds; a no-op when they are already there for that lockfile.
graphiql-assets:
	scripts/graphiql-assets.sh

build: graphiql-assets
	go build -o $(BIN) .
