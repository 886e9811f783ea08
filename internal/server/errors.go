package server

import (
	"net/http"

	"github.com/go-chi/chi/v5/middleware"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/web"
)

// handlerFunc is a handler that returns its failure instead of writing it, so
// every error takes the same road to the person: serveError.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts a handlerFunc to http.HandlerFunc.
func (s *Server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.serveError(w, r, err)
		}
	}
}

// statusOf is the one mapping from domain error codes to HTTP statuses.
func statusOf(code string) int {
	switch code {
	case handoff.ENOTFOUND:
		return http.StatusNotFound
	case handoff.EINVALID:
		return http.StatusUnprocessableEntity
	case handoff.ECONFLICT:
		return http.StatusConflict
	case handoff.EFORBIDDEN:
		return http.StatusForbidden
	case handoff.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case handoff.ERATELIMITED:
		return http.StatusTooManyRequests
	default:
		return http.StatusInternalServerError
	}
}

// serveError renders err as a styled page. Internal errors are logged with
// their detail and shown as a generic message with the request id.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	code := handoff.ErrorCode(err)
	status := statusOf(code)
	if status == http.StatusInternalServerError {
		s.log.ErrorContext(r.Context(), "request failed", "err", err, "method", r.Method, "path", logPath(r), "request_id", middleware.GetReqID(r.Context()))
	}
	heading, msg := errorWords(status)
	if code != handoff.EINTERNAL && code != handoff.ENOTFOUND {
		msg = handoff.ErrorMessage(err)
	}
	s.renderError(w, r, status, heading, msg)
}

// renderError writes a styled error page with the given status.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, heading, msg string) {
	p := web.ErrorPage{
		Page:      s.page(r, heading),
		Status:    status,
		Heading:   heading,
		Message:   msg,
		RequestID: middleware.GetReqID(r.Context()),
	}
	s.render(w, r, status, web.ErrorView(p))
}

// errorWords are the plain heading and default message of each status.
func errorWords(status int) (heading, msg string) {
	switch status {
	case http.StatusNotFound:
		return "Page not found", "There is nothing here, or it is not yours to see. Check the link, or start again from your home page."
	case http.StatusForbidden:
		return "Not allowed", "You can't do that here. If you think you should be able to, ask your Handoff admin."
	case http.StatusUnauthorized:
		return "Please log in", "Log in to continue."
	case http.StatusTooManyRequests:
		return "Too many attempts", "Please wait a little and try again."
	case http.StatusConflict:
		return "Someone changed this first", "Reload the page to see the latest version, then try again."
	case http.StatusUnprocessableEntity:
		return "Check your input", "Some of what was sent could not be used."
	case http.StatusMethodNotAllowed:
		return "Not available", "This address does not accept that kind of request."
	default:
		return "Something went wrong", "Something went wrong on our side. It has been logged; please try again in a moment."
	}
}
