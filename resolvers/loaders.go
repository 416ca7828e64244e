package resolvers

import (
	"context"
	"sync"
	"time"

	"github.com/vikstrous/dataloadgen"
	"github.com/zhuguan/zhuguan/service"
)

// Loaders batch the nested lookups of one request, so a page of N objects costs one query per
// kind of nested object instead of N.
type Loaders struct {
	Units               *dataloadgen.Loader[int64, *service.Unit]
	Students            *dataloadgen.Loader[string, *service.Student]
	Positions           *dataloadgen.Loader[int64, *service.Position]
	Applications        *dataloadgen.Loader[int64, *service.Application]
	Profiles            *dataloadgen.Loader[service.ProfileKey, *service.Profile]
	Timelines           *dataloadgen.Loader[int64, []service.TimelineEntry]
	WorkRecords         *dataloadgen.Loader[int64, []service.WorkRecord]
	MyApplication       *dataloadgen.Loader[int64, *service.Application] // by position, for the calling student
	YearHours           *dataloadgen.Loader[service.StudentYear, *service.YearHours]
	PositionHistories   *dataloadgen.Loader[int64, []service.PositionEvent]
	NominationHistories *dataloadgen.Loader[int64, []service.NominationEvent]
}

type loadersKey struct{}

// NewLoaders returns a fresh set of loaders over svc; each request needs its own so that cached
// objects never cross callers.
func NewLoaders(svc *service.Service) *Loaders {
	return &Loaders{
		Units:        one(svc.UnitsByID, func(u service.Unit) int64 { return u.ID }),
		Students:     one(svc.StudentsByNo, func(s service.Student) string { return s.StudentNo }),
		Positions:    one(svc.PositionsByID, func(p service.Position) int64 { return p.ID }),
		Applications: one(svc.ApplicationsByID, func(a service.Application) int64 { return a.ID }),
		Profiles: one(svc.Profiles, func(p service.Profile) service.ProfileKey {
			return service.ProfileKey{StudentNo: p.StudentNo, AcademicYear: p.AcademicYear}
		}),
		Timelines:           many(svc.TimelinesOf, func(e service.TimelineEntry) int64 { return e.ApplicationID }),
		WorkRecords:         many(svc.WorkRecordsOf, func(w service.WorkRecord) int64 { return w.ApplicationID }),
		MyApplication:       one(svc.LatestApplications, func(a service.Application) int64 { return a.PositionID }),
		YearHours:           one(svc.HoursInYears, func(h service.YearHours) service.StudentYear { return h.StudentYear }),
		PositionHistories:   many(svc.PositionHistories, func(e service.PositionEvent) int64 { return e.PositionID }),
		NominationHistories: many(svc.NominationHistories, func(e service.NominationEvent) int64 { return e.NominationID }),
	}
}

// batchWait is how long a loader collects keys before it fetches: each level of nesting waits
// this long once. The library's default of 16 ms is mostly idle time. At 5 ms a page's keys
// normally arrive in one batch; under the race detector about one large page in five splits a
// batch into two fetches (measured), which costs a statement, never a wrong result.
const batchWait = 5 * time.Millisecond

// one builds a loader of at most one value per key; a key with none loads as nil.
func one[K comparable, V any](fetch func(context.Context, []K) ([]V, error), key func(V) K) *dataloadgen.Loader[K, *V] {
	return dataloadgen.NewLoader(func(ctx context.Context, keys []K) ([]*V, []error) {
		vs, err := fetch(ctx, keys)
		if err != nil {
			return nil, fill(len(keys), err)
		}
		m := make(map[K]*V, len(vs))
		for i := range vs {
			m[key(vs[i])] = &vs[i]
		}
		out := make([]*V, len(keys))
		for i, k := range keys {
			out[i] = m[k]
		}
		return out, nil
	}, dataloadgen.WithWait(batchWait))
}

// many builds a loader of every value per key, in the order fetched; a key with none loads as empty.
func many[K comparable, V any](fetch func(context.Context, []K) ([]V, error), key func(V) K) *dataloadgen.Loader[K, []V] {
	return dataloadgen.NewLoader(func(ctx context.Context, keys []K) ([][]V, []error) {
		vs, err := fetch(ctx, keys)
		if err != nil {
			return nil, fill(len(keys), err)
		}
		m := make(map[K][]V, len(keys))
		for _, v := range vs {
			m[key(v)] = append(m[key(v)], v)
		}
		out := make([][]V, len(keys))
		for i, k := range keys {
			out[i] = m[k]
			if out[i] == nil {
				out[i] = []V{}
			}
		}
		return out, nil
	}, dataloadgen.WithWait(batchWait))
}

func fill(n int, err error) []error {
	errs := make([]error, n)
	for i := range errs {
		errs[i] = err
	}
	return errs
}

// WithLoaders gives an operation its own Loaders, built the first time a resolver needs one: an
// operation without nested objects never pays for them, and nothing cached crosses operations
// (several share one websocket connection).
func WithLoaders(ctx context.Context, svc *service.Service) context.Context {
	return context.WithValue(ctx, loadersKey{}, &lazyLoaders{svc: svc})
}

type lazyLoaders struct {
	once sync.Once
	svc  *service.Service
	l    *Loaders
}

func loaders(ctx context.Context) *Loaders {
	ll := ctx.Value(loadersKey{}).(*lazyLoaders)
	ll.once.Do(func() { ll.l = NewLoaders(ll.svc) })
	return ll.l
}
