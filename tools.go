//go:build tools

// Package tools pins the code generator so `go generate` uses the module's version.
package tools

import (
	_ "github.com/99designs/gqlgen"
)
