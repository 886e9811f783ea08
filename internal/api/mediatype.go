package api

import (
	"mime"
	"net/http"
	"strings"
)

// requireJSON answers 415 to any request that carries a body (POST, PUT,
// PATCH, or any other with content) unless the body is declared as JSON:
// application/json, with parameters such as charset=utf-8 allowed. A form or
// text body never reaches a handler, whatever it holds.
func requireJSON(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hasBody(r) && !isJSON(r.Header.Get("Content-Type")) {
			w.Header().Set("Accept-Post", "application/json")
			writeProblem(w, problem{Status: http.StatusUnsupportedMediaType,
				Detail: "Send the body as JSON, with the header Content-Type: application/json."})
			return
		}
		next.ServeHTTP(w, r)
	})
}

func hasBody(r *http.Request) bool {
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		return true
	}
	return r.ContentLength != 0 // -1: a chunked body of unknown length
}

// isJSON reports whether the Content-Type value ct is application/json. JSON
// is UTF-8 (RFC 8259), so a charset parameter may only say so.
func isJSON(ct string) bool {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return false
	}
	cs, ok := params["charset"]
	return !ok || strings.EqualFold(cs, "utf-8") || strings.EqualFold(cs, "utf8")
}
