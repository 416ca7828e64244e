package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// Readiness is the JSON body of /readyz. Database is "ok" when the database answers and the
// migrations are applied, Listener "ok" when the listener that feeds subscriptions has its
// LISTEN established (each "down" otherwise; the reason goes to the log, not to the client);
// Subscribers counts the subscriptions this replica serves, so that a test can wait for its
// subscription to be registered. The status is 200 when both are ok, else 503.
type Readiness struct {
	Database    string `json:"database"`
	Listener    string `json:"listener"`
	Subscribers int    `json:"subscribers"`
}

// readiness answers /readyz from d's checks.
func readiness(d Deps) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		check := func(name string, err error) string {
			if err != nil {
				d.Logger.WarnContext(ctx, "not ready", "check", name, "err", err)
				return "down"
			}
			return "ok"
		}
		var dbErr, listenerErr error
		if d.Ready != nil {
			dbErr = d.Ready(ctx)
		}
		if d.Listener != nil {
			listenerErr = d.Listener()
		}
		body := Readiness{Database: check("database", dbErr), Listener: check("listener", listenerErr),
			Subscribers: d.Service.Subscribers()}
		w.Header().Set("Content-Type", "application/json")
		if dbErr != nil || listenerErr != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_ = json.NewEncoder(w).Encode(body)
	}
}
