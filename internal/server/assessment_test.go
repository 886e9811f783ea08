package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

// assessments counts the accuracy assessments stored for the pack.
func (e *packEnv) assessments(t *testing.T) int {
	t.Helper()
	var n int
	if err := e.DB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM handoff_assessments WHERE pack_id = $1`, e.pack).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// lockedWithRisk takes the pack through the lock with the Workday commitment and an
// open risk closed, and returns their keys.
func (e *packEnv) lockedWithRisk(t *testing.T) (commitment, risk string) {
	t.Helper()
	alex, cid, rk := e.acknowledgedWithRisk(t, approve)
	form := e.completeArchitecture(t)
	form.Set("version", version(t, alex, e.path("/architecture")))
	res := alex.PostForm(e.path("/lock"), form)
	v, ok := res.Doc().Find(`form[action$="/lock/confirm"] input[name="version"]`).Attr("value")
	if !ok {
		t.Fatalf("lock = %d, no confirmation\n%s", res.StatusCode, res.Text("#lock-error"))
	}
	if res := alex.PostForm(e.path("/lock/confirm"), url.Values{"version": {v}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm = %d", res.StatusCode)
	}
	return "c-" + cid, rk
}

// TestAssessment follows the SA's look back at the handoff after the lock:
// refused before it; a form that loses nothing typed and stores nothing
// half-done; the figure on the pack and in its history; the SE and the
// manager reading it; revisions recorded.
func TestAssessment(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	alex := e.Login("alex@example.com")
	assess := e.path("/assessment")
	stored := func() int { return e.assessments(t) }

	t.Run("NotBeforeTheLock", func(t *testing.T) {
		e.submitted(t)
		if got := alex.Get(assess).Text("main"); !strings.Contains(got, "once the reference architecture is locked") {
			t.Errorf("assessment before the lock reads %q", got)
		}
		res := alex.PostForm(assess, url.Values{"version": {"1"}, "stage": {"lock"}})
		refusedWith(t, alex, res, e.path(""), "The handoff is assessed once the architecture is locked.")
		if stored() != 0 {
			t.Error("an assessment was stored before the lock")
		}
	})
}

func TestAssessmentAfterTheLock(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	ck, rk := e.lockedWithRisk(t)
	alex, sam, morgan := e.Login("alex@example.com"), e.Login("sam@example.com"), e.Login("morgan@example.com")
	assess := e.path("/assessment")
	stored := func() int { return e.assessments(t) }
	form := func(marks map[string][2]string, surfaced ...[3]string) url.Values {
		v := url.Values{"version": {version(t, alex, assess)}, "stage": {"lock"}, "rows": {strconv.Itoa(max(1, len(surfaced)))}}
		for key, m := range marks {
			v.Set("mark."+key+".verdict", m[0])
			v.Set("mark."+key+".note", m[1])
		}
		for i, s := range surfaced {
			p := "surfaced." + strconv.Itoa(i) + "."
			v.Set(p+"kind", s[0])
			v.Set(p+"description", s[1])
			v.Set(p+"severity", s[2])
		}
		return v
	}

	page := alex.Get(assess)
	if n := page.Doc().Find("[data-testid=assess-row]").Length(); n != 2 {
		t.Fatalf("the SA's form marks %d items, want the commitment and the risk", n)
	}
	if link, _ := alex.Get(e.path("")).Doc().Find("[data-testid=assess-link]").Attr("href"); link != assess {
		t.Errorf("the pack page's assess link = %q", link)
	}

	t.Run("RefusedKeepsEverythingAndStoresNothing", func(t *testing.T) {
		res := alex.PostForm(assess, form(map[string][2]string{ck: {"under_scoped", ""}},
			[3]string{"stakeholder", "A new CISO joined and re-opened the security review.", ""}))
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("incomplete assessment = %d, want 422", res.StatusCode)
		}
		for _, f := range []string{"mark." + ck + ".note", "mark." + rk + ".verdict", "surfaced.0.severity"} {
			if res.Text(`[id="f-`+f+`-error"]`) == "" {
				t.Errorf("no error beside %s", f)
			}
		}
		if v, _ := res.Doc().Find(`input[name="mark.` + ck + `.verdict"][checked]`).Attr("value"); v != "under_scoped" {
			t.Errorf("the chosen verdict came back as %q", v)
		}
		if got := res.Text(`[id="f-surfaced.0.description"]`); !strings.Contains(got, "A new CISO") {
			t.Errorf("the surfaced description came back as %q", got)
		}
		if stored() != 0 {
			t.Error("a refused assessment was stored")
		}
	})

	t.Run("AddAnotherRowSavesNothing", func(t *testing.T) {
		v := form(map[string][2]string{ck: {"held", ""}}, [3]string{"risk", "Typed first", "low"})
		v.Set("action", "add")
		res := alex.PostForm(assess, v)
		if res.StatusCode != http.StatusOK || res.Doc().Find("[data-testid=surfaced-row]").Length() != 2 {
			t.Fatalf("add = %d with %d rows", res.StatusCode, res.Doc().Find("[data-testid=surfaced-row]").Length())
		}
		if got := res.Text(`[id="f-surfaced.0.description"]`); got != "Typed first" || stored() != 0 {
			t.Errorf("after add: row 0 = %q, stored %d", got, stored())
		}
	})

	t.Run("Saved", func(t *testing.T) {
		res := alex.PostForm(assess, form(map[string][2]string{ck: {"held", ""}, rk: {"under_scoped", "Two Workday tenants, not one."}},
			[3]string{}, [3]string{"stakeholder", "A new CISO re-opened the security review.", "high"}))
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != assess {
			t.Fatalf("save = %d to %q\n%s", res.StatusCode, loc, res.Body)
		}
		after := alex.Get(assess)
		if got := after.Text(".flash-success"); !strings.Contains(got, "33% held as handed off (1 of 2 items; 1 under-scoped, 0 wrong; 1 surfaced that the pack missed)") {
			t.Errorf("flash = %q", got)
		}
		if got := after.Text("[data-testid=accuracy-figure]"); got != "33%" {
			t.Errorf("figure = %q", got)
		}
		if got := alex.Get(e.path("")).Text("[data-testid=accuracy-box]"); !strings.Contains(got, "33% held as handed off") {
			t.Errorf("pack page accuracy = %q", got)
		}
		if h := alex.Get(e.path("")).Text("[data-testid=history]"); !strings.Contains(h, "Assessed the handoff at the lock: 33% held as handed off (1 of 2 items; 1 under-scoped, 0 wrong; 1 surfaced") {
			t.Errorf("history = %q", h)
		}
		d, err := e.DB.PackDetail(context.Background(), e.alex, e.pack)
		if err != nil {
			t.Fatal(err)
		}
		a := d.Assessments[handoff.StageLock]
		if len(a.Surfaced) != 1 || a.Marks[rk].Note != "Two Workday tenants, not one." || a.By != "Alex Chen" {
			t.Errorf("stored assessment = %+v", a)
		}
	})

	t.Run("ReadBySEAndManager", func(t *testing.T) {
		for _, who := range []struct {
			name string
			c    *servertest.Client
		}{{"sam", sam}, {"morgan", morgan}} {
			res := who.c.Get(assess)
			if res.Doc().Find("[data-testid=assessment-form]").Length() != 0 {
				t.Errorf("%s gets the form", who.name)
			}
			if got := res.Text("[data-testid=marks]"); !strings.Contains(got, "Two Workday tenants, not one.") || !strings.Contains(got, "Under-scoped") {
				t.Errorf("%s reads the marks as %q", who.name, got)
			}
			if got := res.Text("[data-testid=surfaced]"); !strings.Contains(got, "A new CISO") {
				t.Errorf("%s reads what surfaced as %q", who.name, got)
			}
		}
		if got := sam.PostForm(assess, url.Values{"version": {"1"}}).StatusCode; got != http.StatusNotFound {
			t.Errorf("the SE's POST = %d, want 404", got)
		}
		if got := e.Login("jordan@example.com").Get(assess).StatusCode; got != http.StatusNotFound {
			t.Errorf("another SA's GET = %d, want 404", got)
		}
	})

	t.Run("RevisedIsAnEventToo", func(t *testing.T) {
		res := alex.PostForm(assess, form(map[string][2]string{ck: {"held", ""}, rk: {"held", ""}}))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("revise = %d", res.StatusCode)
		}
		if h := alex.Get(e.path("")).Text("[data-testid=history]"); !strings.Contains(h, "Revised the assessment of the handoff at the lock: 100% held") {
			t.Errorf("history = %q", h)
		}
		if stored() != 1 {
			t.Errorf("%d assessments stored, want the one revised", stored())
		}
	})

	t.Run("StaleFormIsAConflictWithTheTypingKept", func(t *testing.T) {
		v := form(map[string][2]string{ck: {"wrong", "Typed in an old tab."}, rk: {"held", ""}})
		v.Set("version", "1")
		res := alex.PostForm(assess, v)
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("stale save = %d, want 409", res.StatusCode)
		}
		if got := res.Text(`[id="f-mark.` + ck + `.note"]`); got != "Typed in an old tab." {
			t.Errorf("typed note came back as %q", got)
		}
	})
}

// TestAssessmentAtFirstValue follows the second look back: once first value
// is recorded the assessment's stage is first value. The SA is asked to
// assess again, starting from their marks at the lock; the SE and the
// manager read the lock's assessment until then, and beside the new one
// after; the pack speaks by its latest.
func TestAssessmentAtFirstValue(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	ck, rk := e.lockedWithRisk(t)
	alex, sam, morgan := e.Login("alex@example.com"), e.Login("sam@example.com"), e.Login("morgan@example.com")
	assess := e.path("/assessment")
	save := func(marks map[string][2]string) *servertest.Response {
		v := url.Values{"version": {version(t, alex, assess)}, "rows": {"1"}}
		for key, m := range marks {
			v.Set("mark."+key+".verdict", m[0])
			v.Set("mark."+key+".note", m[1])
		}
		return alex.PostForm(assess, v)
	}
	if res := save(map[string][2]string{ck: {"held", ""}, rk: {"under_scoped", "Two Workday tenants, not one."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("assess at the lock = %d", res.StatusCode)
	}
	if alex.Get(e.path("")).Doc().Find("[data-testid=assess-again-link]").Length() != 0 {
		t.Error("the pack asks to assess again before first value")
	}
	if res := alex.PostForm(e.path("/first-value"), firstValueForm("2026-11-25", "SSO live for 200 agents.")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record first value = %d", res.StatusCode)
	}

	t.Run("TheSAIsAskedAgain", func(t *testing.T) {
		pack := alex.Get(e.path(""))
		if link, _ := pack.Doc().Find("[data-testid=assess-again-link]").Attr("href"); link != assess {
			t.Errorf("the pack's assess-again link = %q", link)
		}
		if got := pack.Text("[data-testid=accuracy-box]"); !strings.Contains(got, "Assessed at the lock") {
			t.Errorf("until then the pack speaks by the lock's assessment: %q", got)
		}
		page := alex.Get(assess)
		if got := page.Text("[data-testid=assessment-again]"); !strings.Contains(got, "Assess again at first value") || !strings.Contains(got, "2026-11-25") || !strings.Contains(got, "At the lock: 50% held") {
			t.Errorf("the SA's assessment page says %q", got)
		}
		if v, _ := page.Doc().Find(`input[name="mark.` + rk + `.verdict"][checked]`).Attr("value"); v != "under_scoped" {
			t.Errorf("the form starts from the lock's mark %q, want under_scoped", v)
		}
		if got := page.Text(`[id="f-mark.` + rk + `.note"]`); got != "Two Workday tenants, not one." {
			t.Errorf("the form starts from the lock's note %q", got)
		}
		if got := page.Text("[data-testid=assessment-save]"); got != "Save the assessment at first value" {
			t.Errorf("the save button says %q", got)
		}
	})

	t.Run("ReadersReadTheLocksUntilThen", func(t *testing.T) {
		for name, c := range map[string]*servertest.Client{"the SE": sam, "the manager": morgan} {
			page := c.Get(assess)
			if got := page.Text("[data-testid=assessment-again]"); !strings.Contains(got, "Not assessed at first value yet") {
				t.Errorf("%s reads %q", name, got)
			}
			if got := page.Text("[data-testid=marks]"); !strings.Contains(got, "Two Workday tenants, not one.") {
				t.Errorf("%s reads the lock's marks as %q", name, got)
			}
			if page.Doc().Find("[data-testid=assessment-form]").Length() != 0 {
				t.Errorf("%s gets the form", name)
			}
			if got := c.Get(e.path("")).Text("[data-testid=assess-again]"); !strings.Contains(got, "the SA assesses the handoff again") {
				t.Errorf("%s's pack page says %q", name, got)
			}
		}
	})

	t.Run("SavedAtFirstValue", func(t *testing.T) {
		res := save(map[string][2]string{ck: {"held", ""}, rk: {"held", ""}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("assess at first value = %d\n%s", res.StatusCode, res.Body)
		}
		if n := e.assessments(t); n != 2 {
			t.Errorf("%d assessments stored, want the lock's and first value's", n)
		}
		if h := alex.Get(e.path("")).Text("[data-testid=history]"); !strings.Contains(h, "Assessed the handoff at first value: 100% held") {
			t.Errorf("history = %q", h)
		}
		for name, c := range map[string]*servertest.Client{"the SA": alex, "the SE": sam, "the manager": morgan} {
			if got := c.Get(e.path("")).Text("[data-testid=accuracy-box]"); !strings.Contains(got, "100% held") || !strings.Contains(got, "Assessed at first value") || strings.Contains(got, "again") {
				t.Errorf("%s's pack page accuracy = %q", name, got)
			}
			page := c.Get(assess)
			if got := page.Text("[data-testid=assessment-summary]"); !strings.Contains(got, "Assessed at first value") {
				t.Errorf("%s's summary = %q", name, got)
			}
			if got := page.Text("[data-testid=assessment-lock]"); !strings.Contains(got, "Assessed at the lock") || !strings.Contains(got, "50% held") {
				t.Errorf("%s reads the lock's assessment as %q", name, got)
			}
			if got := page.Text("[data-testid=marks-lock]"); !strings.Contains(got, "Two Workday tenants, not one.") {
				t.Errorf("%s reads the lock's marks as %q", name, got)
			}
		}
		d, err := e.DB.PackDetail(context.Background(), e.alex, e.pack)
		if err != nil {
			t.Fatal(err)
		}
		if a := d.Assessments[handoff.StageLock]; a.Marks[rk].Verdict != "under_scoped" {
			t.Errorf("the lock's assessment changed: %+v", a.Marks)
		}
	})
}
