package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

// acknowledgedWithRisk takes the pack to the kickoff with the Workday
// commitment decided as decision says (approve, or veto with a reason) and
// one open risk, and returns the SA, the commitment's row id and the risk's
// matrix key.
func (e *packEnv) acknowledgedWithRisk(t *testing.T, decision url.Values) (alex *servertest.Client, cid, risk string) {
	t.Helper()
	sam := e.Login("sam@example.com")
	alex = e.Login("alex@example.com")
	e.fillAll(t, sam)
	form := url.Values{"rows": {"1"}, "items.0.category": {"integration_unknown"}, "items.0.severity": {"high"},
		"items.0.description": {"Workday API quotas unknown"}, "items.0.mitigation": {"Ask Workday for the tenant's quota"}, "items.0.status": {"open"}}
	if res := e.save(t, sam, handoff.DocRisks, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("risks = %d\n%s", res.StatusCode, res.Body)
	}
	if res := sam.PostForm(e.path("/submit"), url.Values{"version": {version(t, sam, e.path(""))}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit = %d", res.StatusCode)
	}
	e.acceptAll(t, alex)
	action, cid := e.decideForm(t, alex)
	decision = cloneValues(decision)
	decision.Set("version", "1")
	if res := alex.PostForm(action, decision); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("decide %v = %d", decision, res.StatusCode)
	}
	if res := alex.PostForm(e.path("/acknowledge"), url.Values{"version": {"1"}, "kickoff_on": {"2026-11-25"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("acknowledge = %d\n%s", res.StatusCode, res.Body)
	}
	d, err := e.DB.PackDetail(context.Background(), e.alex, e.pack)
	if err != nil {
		t.Fatal(err)
	}
	m := d.Matrix()
	if len(m) != 2 || m[0].Key != "c-"+cid || m[1].Kind != handoff.ItemRisk {
		t.Fatalf("matrix = %+v, want the commitment then the risk", m)
	}
	return alex, cid, m[1].Key
}

// approve is the SA's approval of a big commitment.
var approve = url.Values{"decision": {"approve"}}

// TestClosureMatrixGatesTheLock follows the SA closing the matrix on the
// architecture page: a lock with a row open is refused naming the row, with
// everything typed kept and saved; a half-closed row says what it lacks; a
// row key the server did not make is ignored; the lock freezes the matrix
// and the SE and managers read it.
func TestClosureMatrixGatesTheLock(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	alex, cid, rk := e.acknowledgedWithRisk(t, approve)
	ck := "c-" + cid
	archPath := e.path("/architecture")

	page := alex.Get(archPath)
	if n := page.Doc().Find("[data-testid=matrix-row]").Length(); n != 2 {
		t.Fatalf("architecture page shows %d matrix rows, want 2", n)
	}
	if got := page.Text("[data-testid=matrix-progress]"); got != "0 of 2 rows closed." {
		t.Errorf("progress = %q", got)
	}
	lock := func(form url.Values) *servertest.Response {
		t.Helper()
		form.Set("version", version(t, alex, archPath))
		return alex.PostForm(e.path("/lock"), form)
	}

	t.Run("OpenRowRefusesTheLockAndKeepsTheTyping", func(t *testing.T) {
		form := e.completeArchitecture(t)
		form.Del("closure." + rk + ".part")
		form.Del("closure." + rk + ".note")
		form.Set("closure."+ck+".note", "Typed before the lock: the Workday connector is in the integration list.")
		res := lock(form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("lock with an open row = %d, want 422", res.StatusCode)
		}
		msg := res.Text("#lock-error")
		if !strings.Contains(msg, "Workday API quotas unknown") || strings.Contains(msg, "Workday connector\"") {
			t.Errorf("lock error = %q, want the open risk named and not the closed commitment", msg)
		}
		if got := res.Text(`[id="f-closure.` + ck + `.note"]`); !strings.Contains(got, "Typed before the lock") {
			t.Errorf("typed note came back as %q", got)
		}
		a, _, err := e.DB.Architecture(context.Background(), e.alex, e.pack)
		if err != nil {
			t.Fatal(err)
		}
		if a.Closures[ck].Part != "integrations" || !strings.Contains(a.Closures[ck].Note, "Typed before the lock") {
			t.Errorf("stored closure = %+v: pressing Lock saves what is on the form", a.Closures[ck])
		}
		if e.status(t) != handoff.StatusAcknowledged {
			t.Error("a refused lock changed the status")
		}
	})

	t.Run("HalfClosedRowSaysWhatItLacks", func(t *testing.T) {
		form := e.completeArchitecture(t)
		form.Set("closure."+rk+".part", handoff.OutOfScope)
		form.Set("closure."+rk+".note", "")
		res := lock(form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Text("#lock-error"), "give the reason it is out of scope") {
			t.Errorf("lock = %d %q", res.StatusCode, res.Text("#lock-error"))
		}
		if sel, _ := res.Doc().Find(`select[name="closure.` + rk + `.part"] option[selected]`).Attr("value"); sel != handoff.OutOfScope {
			t.Errorf("chosen closure came back as %q", sel)
		}
	})

	t.Run("BadPartIsAFieldError", func(t *testing.T) {
		form := e.completeArchitecture(t)
		form.Set("closure."+rk+".part", "roof")
		form.Set("version", version(t, alex, archPath))
		res := alex.PostForm(archPath, form)
		if res.StatusCode != http.StatusUnprocessableEntity || res.Text(`[id="f-closure.`+rk+`.part-error"]`) == "" {
			t.Errorf("save with a made-up part = %d, error %q", res.StatusCode, res.Text(`[id="f-closure.`+rk+`.part-error"]`))
		}
	})

	t.Run("ForeignKeyIsIgnored", func(t *testing.T) {
		form := e.completeArchitecture(t)
		form.Set("closure.c-forgedforged.part", "scale")
		form.Set("closure.c-forgedforged.note", "Not an item of this pack.")
		form.Set("version", version(t, alex, archPath))
		if res := alex.PostForm(archPath, form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save = %d", res.StatusCode)
		}
		a, _, _ := e.DB.Architecture(context.Background(), e.alex, e.pack)
		if _, ok := a.Closures["c-forgedforged"]; ok || len(a.Closures) != 2 {
			t.Errorf("stored closures = %v, want only the pack's two rows", a.Closures)
		}
	})

	t.Run("LockFreezesTheMatrix", func(t *testing.T) {
		form := e.completeArchitecture(t)
		form.Set("closure."+rk+".part", handoff.OutOfScope)
		form.Set("closure."+rk+".note", "The customer's Workday team owns quotas.")
		res := lock(form)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("lock = %d, want the confirmation\n%s", res.StatusCode, res.Text("#lock-error"))
		}
		if got := res.Text("[data-testid=lock-summary]"); !strings.Contains(got, "Closure matrix: 2 of 2 rows closed.") {
			t.Errorf("confirmation summary = %q", got)
		}
		if got := res.Text("[data-testid=matrix-view]"); !strings.Contains(got, "The customer's Workday team owns quotas.") {
			t.Errorf("the confirmation does not show the matrix it freezes: %q", got)
		}
		v, _ := res.Doc().Find(`form[action$="/lock/confirm"] input[name="version"]`).Attr("value")
		if res := alex.PostForm(e.path("/lock/confirm"), url.Values{"version": {v}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("confirm = %d", res.StatusCode)
		}
		a, _, _ := e.DB.Architecture(context.Background(), e.alex, e.pack)
		if len(a.Locked) != 2 || a.Locked[1].Closure.Part != handoff.OutOfScope {
			t.Errorf("frozen matrix = %+v", a.Locked)
		}
		for _, who := range []string{"sam@example.com", "morgan@example.com"} {
			view := e.Login(who).Get(archPath)
			if got := view.Text("[data-testid=matrix-view] p.muted"); got != "Frozen with the architecture at the lock." {
				t.Errorf("%s reads the matrix's state as %q", who, got)
			}
			got := view.Text("[data-testid=matrix-view]")
			if !strings.Contains(got, "Frozen with the architecture") || !strings.Contains(got, "Out of scope") ||
				!strings.Contains(got, "The integration list covers it.") {
				t.Errorf("%s reads the matrix as %q", who, got)
			}
		}
	})

	t.Run("LockedBeforeMatricesWereKeptSaysSo", func(t *testing.T) {
		// A pack locked before the closure matrix existed froze none: its
		// rows show, and the page does not call them frozen.
		if _, err := e.DB.Pool.Exec(context.Background(), `UPDATE reference_architectures SET data = data - 'closures' - 'locked_matrix' WHERE pack_id = $1`, e.pack); err != nil {
			t.Fatal(err)
		}
		got := e.Login("morgan@example.com").Get(archPath).Text("[data-testid=matrix-view]")
		if !strings.Contains(got, "locked before Handoff kept a closure matrix") || strings.Contains(got, "Frozen") {
			t.Errorf("the matrix of a pack locked before matrices reads %q", got)
		}
	})
}
