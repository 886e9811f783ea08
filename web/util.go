package web

import (
	"strconv"
	"strings"
)

func itoa(n int) string { return strconv.Itoa(n) }

func joinComma(s []string) string { return strings.Join(s, ", ") }

func i64(n int64) string { return strconv.FormatInt(n, 10) }
