package server_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

// Two instances of one deployment share the database and nothing else: what
// one keeps in memory must never hide a write made through the other
// (memo.go). Each change below is made through instance A after instance B
// has shown, and so kept, the page it changes; B's next page must show it.
func TestKeptPagesNeverHideAWriteFromAnotherInstance(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	b := a.Instance()
	sam := a.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	alex := a.CreateUser("Alex Chen", "alex@example.com", handoff.RoleSA)
	a.CreateUser("Morgan Lee", "morgan@example.com", handoff.RoleManager)
	a.CreateUser("Ada Admin", "ada@example.com", handoff.RoleAdmin)
	pack := a.CreatePack("Acme Labs", sam, alex, "2026-11-02") // its pack clock ran out on 2026-11-09
	if _, err := a.DB.Pool.Exec(t.Context(), `UPDATE deals SET crm_opportunity_id = '006ACME' WHERE id = (SELECT deal_id FROM packs WHERE id = $1)`, pack); err != nil {
		t.Fatal(err)
	}

	managerA, managerB := a.Login("morgan@example.com"), b.Login("morgan@example.com")
	adminA := a.Login("ada@example.com")
	overdueRow := func() string {
		t.Helper()
		res := managerB.Get("/overdue")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET /overdue on B = %d", res.StatusCode)
		}
		return res.Text("tbody tr")
	}
	packCount := func() int {
		t.Helper()
		doc := managerB.Get("/overdue").Doc()
		n, err := strconv.Atoi(strings.TrimSpace(doc.Find(`[data-testid="count-pack-se-overdue"] .count-n`).Text()))
		if err != nil {
			t.Fatalf("no pack-clock overdue count on B's Overdue page: %v", err)
		}
		return n
	}

	// Reassigning the SA through A shows on B's list.
	if row := overdueRow(); !strings.Contains(row, "Acme Labs") || !strings.Contains(row, "Alex Chen") {
		t.Fatalf("B's Overdue row before = %q, want Acme Labs with Alex Chen", row)
	}
	jo := a.CreateUser("Jo Park", "jo@example.com", handoff.RoleSA) // a new person: B's people lists must learn of them
	res := managerA.PostForm("/packs/"+strconv.FormatInt(pack, 10)+"/assign",
		url.Values{"se_id": {strconv.FormatInt(sam.ID, 10)}, "sa_id": {strconv.FormatInt(jo.ID, 10)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign through A = %d\n%s", res.StatusCode, res.Body)
	}
	if row := overdueRow(); !strings.Contains(row, "Jo Park") {
		t.Fatalf("B's Overdue row after A reassigned = %q, want Jo Park", row)
	}
	if menu := managerB.Get("/overdue").Text(`select[name="sa"]`); !strings.Contains(menu, "Jo Park") {
		t.Fatalf("B's SA filter = %q, want the person A added", menu)
	}

	// A new late pack through A counts on B.
	before := packCount()
	a.CreatePack("Globex", sam, nil, "2026-11-02")
	if after := packCount(); after != before+1 {
		t.Fatalf("B's pack-clock overdue count = %d after A added a late pack, want %d", after, before+1)
	}

	// Settings saved through A (the CRM link) show on B's pack page.
	packPath := "/packs/" + strconv.FormatInt(pack, 10)
	if link := managerB.Get(packPath).Doc().Find(`a[href*="006ACME"]`).Length(); link != 0 {
		t.Fatalf("B links the CRM id before any template is set")
	}
	res = adminA.PostForm("/admin/settings/crm", url.Values{"crm_url_template": {"https://acme.my.salesforce.com/{id}"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save CRM template through A = %d\n%s", res.StatusCode, res.Body)
	}
	if href, _ := managerB.Get(packPath).Doc().Find(`a[href*="006ACME"]`).Attr("href"); href != "https://acme.my.salesforce.com/006ACME" {
		t.Fatalf("B's CRM link after A set the template = %q", href)
	}

	// A person deactivated through A is signed out on B at their next
	// request, although B kept them signed in a moment ago.
	riley := a.CreateUser("Riley Moss", "riley@example.com", handoff.RoleSE)
	rileyB := b.Login("riley@example.com")
	if res := rileyB.Get("/packs"); res.StatusCode != http.StatusOK {
		t.Fatalf("Riley's home on B = %d", res.StatusCode)
	}
	if res := adminA.PostForm("/admin/users/"+strconv.FormatInt(riley.ID, 10)+"/deactivate", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("deactivate through A = %d\n%s", res.StatusCode, res.Body)
	}
	if res := rileyB.Get("/packs"); res.StatusCode == http.StatusOK {
		t.Fatalf("a deactivated SE still sees their home on B")
	}

	// So is one whose password was reset through A: that ends every session.
	kim := a.CreateUser("Kim Lund", "kim@example.com", handoff.RoleSE)
	kimB := b.Login("kim@example.com")
	if res := kimB.Get("/packs"); res.StatusCode != http.StatusOK {
		t.Fatalf("Kim's home on B = %d", res.StatusCode)
	}
	if res := adminA.PostForm("/admin/users/"+strconv.FormatInt(kim.ID, 10)+"/password",
		url.Values{"password": {"a brand new passphrase"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset password through A = %d", res.StatusCode)
	}
	if res := kimB.Get("/packs"); res.StatusCode == http.StatusOK {
		t.Fatalf("a session survived its password reset on B")
	}

	// A renamed person reads under their new name on B.
	if _, err := a.DB.Pool.Exec(t.Context(), `UPDATE users SET name = 'Samantha Rivera' WHERE id = $1`, sam.ID); err != nil {
		t.Fatal(err)
	}
	if row := overdueRow(); !strings.Contains(row, "Samantha Rivera") {
		t.Fatalf("B's Overdue row after a rename = %q", row)
	}
}
