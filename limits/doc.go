// Package limits bounds what one GraphQL operation may cost the server before it runs.
package limits
