// Package resolvers maps GraphQL fields onto the service: translate, call, translate. It holds no
// rules, SQL or transactions.
package resolvers

import "github.com/zhuguan/zhuguan/service"

// Resolver is the dependency root of every resolver.
type Resolver struct {
	Service *service.Service
}
