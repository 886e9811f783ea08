package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	kflate "github.com/klauspost/compress/flate"
	kgzip "github.com/klauspost/compress/gzip"
)

type logFieldsKey struct{}

// logPath is the request path as logs may hold it: one-time set-password
// tokens are secrets, so their paths are logged as the route pattern.
func logPath(r *http.Request) string {
	if strings.HasPrefix(r.URL.Path, "/set-password/") {
		return "/set-password/{token}"
	}
	return r.URL.Path
}

// logFields collects values that inner middleware learns (who the user is) for
// the access log line written by the outer one.
type logFields struct {
	userID int64
}

// accessLog writes one structured line per request, after it completes.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		lf := &logFields{}
		r = r.WithContext(context.WithValue(r.Context(), logFieldsKey{}, lf))
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		attrs := []any{
			"method", r.Method,
			"path", logPath(r),
			"route", chi.RouteContext(r.Context()).RoutePattern(),
			"status", ww.Status(),
			"bytes", ww.BytesWritten(),
			"duration_ms", float64(time.Since(start).Microseconds()) / 1000,
			"request_id", middleware.GetReqID(r.Context()),
		}
		if client := s.clientAddr(r); client.IsValid() {
			attrs = append(attrs, "remote", client.String())
			if len(s.cfg.TrustedProxies) > 0 {
				attrs = append(attrs, "peer", r.RemoteAddr) // the proxy, when there is one
			}
		} else {
			attrs = append(attrs, "remote", r.RemoteAddr)
		}
		if lf.userID != 0 {
			attrs = append(attrs, "user_id", lf.userID)
		}
		s.log.InfoContext(r.Context(), "http request", attrs...)
	})
}

// recoverer turns a panic in a handler into a logged stack and the styled 500
// page, so a bug costs one request and never shows internals.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			rec := recover()
			if rec == nil {
				return
			}
			if rec == http.ErrAbortHandler { // the client went away; nothing to show
				panic(rec)
			}
			s.log.ErrorContext(r.Context(), "panic serving request",
				"panic", fmt.Sprint(rec),
				"method", r.Method,
				"path", logPath(r),
				"request_id", middleware.GetReqID(r.Context()),
				"stack", string(debug.Stack()),
			)
			heading, msg := errorWords(http.StatusInternalServerError)
			s.renderError(w, r, http.StatusInternalServerError, heading, msg)
		}()
		next.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy allows only our own scripts, styles and images: no
// inline script or style, no framing, forms post only to us.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	secure := s.cfg.secure()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if secure {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// crossOriginProtection refuses state-changing requests from other origins
// (Go's header-based CSRF defence: Sec-Fetch-Site, then Origin vs Host).
func (s *Server) crossOriginProtection() (func(http.Handler) http.Handler, error) {
	cop := http.NewCrossOriginProtection()
	if err := cop.AddTrustedOrigin(s.cfg.BaseURL.Scheme + "://" + s.cfg.BaseURL.Host); err != nil {
		return nil, fmt.Errorf("server: trusted origin: %w", err)
	}
	// The CRM API authenticates each request with a bearer token, which a
	// browser never sends on its own, so CSRF does not apply there; CRMs that
	// add an Origin header must not be refused.
	cop.AddInsecureBypassPattern("/api/v1/")
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusForbidden, "Request refused",
			"This form was sent from another site, so it was refused to protect your account. Open Handoff directly and try again.")
	}))
	return cop.Handler, nil
}

// maxFormBytes bounds a form post; the largest document form is far smaller.
const maxFormBytes = 1 << 20

// formHygiene parses form posts (up to maxFormBytes) and repairs every value,
// of the form and of the query, once: text that is not UTF-8, or holds NUL
// bytes (pasted from a PDF, say), cannot be stored in PostgreSQL, and would
// otherwise surface as a 500 deep in some handler.
func (s *Server) formHygiene(next http.Handler) http.Handler {
	return queryHygiene(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
			if err := r.ParseForm(); err != nil {
				s.renderError(w, r, http.StatusRequestEntityTooLarge, "Form not accepted",
					"The form was too large or could not be read. Nothing was saved; go back, shorten the text, and try again.")
				return
			}
			cleanValues(r.PostForm)
			cleanValues(r.Form)
		}
		next.ServeHTTP(w, r)
	}))
}

// queryHygiene repairs query string values as formHygiene repairs forms: a
// search box is as easy to paste into. The API has only this half: it reads
// JSON bodies, never forms, and answers other bodies itself.
func queryHygiene(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery != "" {
			q := r.URL.Query()
			cleanValues(q)
			r.URL.RawQuery = q.Encode()
		}
		next.ServeHTTP(w, r)
	})
}

// crlf is the line break browsers send from a textarea.
var crlf = strings.NewReplacer("\r\n", "\n", "\x00", "")

// cleanValues makes every value storable: valid UTF-8, no NUL bytes. It also
// turns the CRLF line breaks browsers send from a textarea into LF: a
// browser counts a line break as one character against maxlength but sends
// two, so without this a text the form let through at exactly the limit
// would be refused as too long, and stored text would carry \r.
func cleanValues(vals map[string][]string) {
	for _, vs := range vals {
		for i, v := range vs {
			vs[i] = crlf.Replace(strings.ToValidUTF8(v, "\uFFFD"))
		}
	}
}

// compressor gzips and deflates text answers at the fastest level.
// Compression was the largest single cost of rendering a list page (about a
// third of the server's CPU on the Overdue page), so the encoders are
// klauspost/compress's, which give the same format at about twice the speed
// of the standard library's.
func compressor() *middleware.Compressor {
	c := middleware.NewCompressor(1, "text/html", "text/css", "text/plain", "image/svg+xml", "application/json", "text/csv")
	c.SetEncoder("deflate", func(w io.Writer, level int) io.Writer {
		fw, _ := kflate.NewWriter(w, level) // an error only for a level outside -2..9
		return fw
	})
	c.SetEncoder("gzip", func(w io.Writer, level int) io.Writer {
		gw, _ := kgzip.NewWriterLevel(w, level)
		return gw
	})
	return c
}
