// Package migrations holds Handoff's schema as goose SQL files, embedded so the
// binary migrates its own database with no files beside it.
package migrations

import "embed"

// FS is every migration, in goose's NNNNN_name.sql order.
//
//go:embed *.sql
var FS embed.FS
