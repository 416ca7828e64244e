package resolvers

import (
	"context"
	"net/http"

	"github.com/vikstrous/dataloadgen"
	"github.com/zhuguan/zhuguan/service"
)

// Loaders batch the nested lookups of one request, so a page of N objects costs one query per
// kind of nested object instead of N.
type Loaders struct {
	Units    *dataloadgen.Loader[int64, *service.Unit]
	Students *dataloadgen.Loader[string, *service.Student]
}

type loadersKey struct{}

// NewLoaders returns a fresh set of loaders over svc; each request needs its own so that cached
// objects never cross callers.
func NewLoaders(svc *service.Service) *Loaders {
	return &Loaders{
		Units: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []int64) (map[int64]*service.Unit, error) {
			us, err := svc.UnitsByID(ctx, ids)
			return byKey(us, func(u service.Unit) int64 { return u.ID }), err
		}),
		Students: dataloadgen.NewMappedLoader(func(ctx context.Context, nos []string) (map[string]*service.Student, error) {
			sts, err := svc.StudentsByNo(ctx, nos)
			return byKey(sts, func(s service.Student) string { return s.StudentNo }), err
		}),
	}
}

func byKey[K comparable, V any](vs []V, key func(V) K) map[K]*V {
	m := make(map[K]*V, len(vs))
	for i := range vs {
		m[key(vs[i])] = &vs[i]
	}
	return m
}

// Middleware gives every request its own Loaders.
func Middleware(svc *service.Service, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), loadersKey{}, NewLoaders(svc))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func loaders(ctx context.Context) *Loaders {
	return ctx.Value(loadersKey{}).(*Loaders)
}
