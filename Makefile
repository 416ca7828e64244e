# Development and CI entry points. Needs Go, git, bash and (for run/test) a
# PostgreSQL server, which scripts/ensure-postgres.sh installs/starts locally;
# for test also node and npm, which scripts/ensure-audit.sh installs.

DATABASE_URL      ?= postgres://postgres@127.0.0.1:5432/zhuguan?sslmode=disable
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
JWT_SECRET        ?= dev-only-secret-change-me-please
PORT              ?= 8080
export DATABASE_URL TEST_DATABASE_URL JWT_SECRET PORT

SHELL := /bin/bash
BIN := bin/zhuguan

.PHONY: run test gen-check generate build

# Start a local server on :$(PORT) with migrated schema and demo data.
run: build
	scripts/ensure-postgres.sh
	$(BIN) migrate
	$(BIN) seed-demo
	$(BIN)

# Tests create their own databases; they only need the server to answer. The GraphQL-over-HTTP
# audit (httpapi/conformance_test.go) needs node and the npm packages scripts/audit pins.
test:
	DATABASE_URL="$$TEST_DATABASE_URL" scripts/ensure-postgres.sh
	scripts/ensure-audit.sh
	$(MAKE) gen-check
	go vet ./...
	go test -race -count=1 ./...

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

build:
	go build -o $(BIN) .
