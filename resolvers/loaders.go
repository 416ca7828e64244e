package resolvers

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/vikstrous/dataloadgen"
	"github.com/zhuguan/zhuguan/service"
)

// loaderSet batches and caches the nested lookups of one operation, so a page of N objects costs one
// query per kind of nested object instead of N. A list's resolver fills them for its whole list
// before its elements resolve (see prefetch.go); a field reached otherwise batches its loads.
type loaderSet struct {
	Units               *loader[int64, *service.Unit]
	Students            *loader[string, *service.Student]
	Positions           *loader[int64, *service.Position]
	Applications        *loader[int64, *service.Application]
	Profiles            *loader[service.ProfileKey, *service.Profile]
	Timelines           *loader[int64, []service.TimelineEntry]
	WorkRecords         *loader[int64, []service.WorkRecord]
	MyApplication       *loader[int64, *service.Application] // by position, for the calling student
	YearHours           *loader[service.StudentYear, *service.YearHours]
	PositionHistories   *loader[int64, []service.PositionEvent]
	NominationHistories *loader[int64, []service.NominationEvent]
	JobLimits           *loader[int64, *service.JobLimit] // by application; nil in a year without a limit
}

type loadersKey struct{}

// newLoaderSet returns a fresh set of loaders over svc; each operation needs its own so that cached
// objects never cross callers or operations.
func newLoaderSet(svc *service.Service) *loaderSet {
	return &loaderSet{
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
		PositionHistories:   many(svc.PositionHistories, func(e service.PositionEvent) int64 { return e.ObjectID }),
		NominationHistories: many(svc.NominationHistories, func(e service.NominationEvent) int64 { return e.ObjectID }),
		JobLimits:           one(svc.JobLimits, func(l service.JobLimit) int64 { return l.ApplicationID }),
	}
}

// batchWait is how long a loader collects keys before it fetches, for the loads no list
// prefetched (a mutation's payload, a single object's fields). The library's default of 16 ms is
// mostly idle time.
const batchWait = 5 * time.Millisecond

// loader is a dataloadgen loader that also knows its batch function and the keys it fetched, so
// that a list's resolver can fetch the keys of the whole list at once.
type loader[K comparable, V any] struct {
	*dataloadgen.Loader[K, V]
	batch func(ctx context.Context, keys []K) ([]V, []error)
	mu    sync.Mutex
	// fetched holds every key fetched or being fetched; its channel is closed once the loader
	// serves the key without waiting (a batch's keys are served by their pending thunks at once).
	fetched map[K]chan struct{}
}

func newLoader[K comparable, V any](batch func(ctx context.Context, keys []K) ([]V, []error)) *loader[K, V] {
	l := &loader[K, V]{batch: batch, fetched: map[K]chan struct{}{}}
	l.Loader = dataloadgen.NewLoader(func(ctx context.Context, keys []K) ([]V, []error) {
		for _, ch := range l.claim(keys) {
			close(ch)
		}
		return batch(ctx, keys)
	}, dataloadgen.WithWait(batchWait))
	return l
}

// claim records keys as being fetched and returns the channels of those that were not, each once.
func (l *loader[K, V]) claim(keys []K) map[K]chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	fresh := map[K]chan struct{}{}
	for _, k := range keys {
		if _, ok := l.fetched[k]; !ok {
			l.fetched[k] = make(chan struct{})
			fresh[k] = l.fetched[k]
		}
	}
	return fresh
}

// Prefetch fetches the keys the loader has not fetched yet in one call, primes the loader with
// them, and returns the values of all keys in their order, waiting for keys another prefetch is
// fetching rather than fetching them again. On a failed fetch it primes nothing and returns the
// error; the fields then load (and report the error) one by one.
func (l *loader[K, V]) Prefetch(ctx context.Context, keys []K) ([]V, error) {
	fresh := l.claim(keys)
	if len(fresh) > 0 {
		ks := make([]K, 0, len(fresh))
		for _, k := range keys {
			if _, ok := fresh[k]; ok {
				ks = append(ks, k)
				delete(fresh, k) // keys may repeat
			}
		}
		if err := l.fetch(ctx, ks); err != nil {
			return nil, err
		}
	}
	for _, k := range keys {
		select {
		case <-l.channel(k):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return l.LoadAll(ctx, keys)
}

// fetch runs the batch function for keys claimed fresh and primes the loader with their values.
// Their channels close whatever happens, a panic of the batch included (it becomes the error), so
// that no other prefetch waits on them for ever.
func (l *loader[K, V]) fetch(ctx context.Context, ks []K) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("prefetch: %v", p)
		}
		for _, k := range ks {
			close(l.channel(k))
		}
	}()
	vs, errs := l.batch(ctx, ks)
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	for i, k := range ks {
		l.Prime(k, vs[i])
	}
	return nil
}

func (l *loader[K, V]) channel(k K) chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.fetched[k]
}

// Put primes the loader with a value the operation already holds.
func (l *loader[K, V]) Put(key K, v V) {
	l.Prime(key, v)
	for _, ch := range l.claim([]K{key}) {
		close(ch)
	}
}

// one builds a loader of at most one value per key; a key with none loads as nil.
func one[K comparable, V any](fetch func(context.Context, []K) ([]V, error), key func(V) K) *loader[K, *V] {
	return newLoader(func(ctx context.Context, keys []K) ([]*V, []error) {
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
	})
}

// many builds a loader of every value per key, in the order fetched; a key with none loads as empty.
func many[K comparable, V any](fetch func(context.Context, []K) ([]V, error), key func(V) K) *loader[K, []V] {
	return newLoader(func(ctx context.Context, keys []K) ([][]V, []error) {
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
	})
}

func fill(n int, err error) []error {
	errs := make([]error, n)
	for i := range errs {
		errs[i] = err
	}
	return errs
}

// WithLoaders gives an operation its own loader set, built the first time a resolver needs one: an
// operation without nested objects never pays for them, and nothing cached crosses operations
// (several share one websocket connection).
func WithLoaders(ctx context.Context, svc *service.Service) context.Context {
	return context.WithValue(ctx, loadersKey{}, &lazyLoaders{svc: svc})
}

type lazyLoaders struct {
	once sync.Once
	svc  *service.Service
	l    *loaderSet
}

// loaders returns the operation's loader set, building it on first use; it panics on a context that
// WithLoaders did not prepare, a wiring error every request would hit.
func loaders(ctx context.Context) *loaderSet {
	ll := ctx.Value(loadersKey{}).(*lazyLoaders)
	ll.once.Do(func() { ll.l = newLoaderSet(ll.svc) })
	return ll.l
}
