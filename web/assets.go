package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFiles embed.FS

// Assets serves the embedded static files under content-hashed names
// (app.css → app.3f2a1c9b.css), so browsers cache them forever and still see a
// new deploy at once.
type Assets struct {
	files  fs.FS
	hashed map[string]string // "app.css" → "app.3f2a1c9b.css"
	plain  map[string]string // "app.3f2a1c9b.css" → "app.css"
}

// NewAssets hashes every embedded static file.
func NewAssets() (*Assets, error) {
	files, err := fs.Sub(staticFiles, "static")
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	a := &Assets{files: files, hashed: map[string]string{}, plain: map[string]string{}}
	err = fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(p)
		name := strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		a.hashed[p], a.plain[name] = name, p
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: hash static files: %w", err)
	}
	return a, nil
}

// URL returns the cache-busting URL of a static file, e.g. URL("app.css").
func (a *Assets) URL(name string) string {
	if h, ok := a.hashed[name]; ok {
		return "/static/" + h
	}
	return "/static/" + name
}

// ServeHTTP serves /static/{hashed name}; mount it with the /static prefix
// stripped. Unknown names are 404 so old pages never get a wrong file.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/")
	plain, ok := a.plain[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	r2 := r.Clone(r.Context())
	r2.URL.Path = "/" + plain
	http.FileServerFS(a.files).ServeHTTP(w, r2)
}
