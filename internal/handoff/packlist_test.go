package handoff

import "testing"

// TestScopeAgreesWithCanSeePack: a list shows exactly the packs their reader
// may open.
func TestScopeAgreesWithCanSeePack(t *testing.T) {
	t.Parallel()
	packs := []*Pack{
		{Deal: Deal{SEID: 1, SAID: 3}},
		{Deal: Deal{SEID: 2, SAID: 4}},
		{Deal: Deal{SEID: 2}},
	}
	actors := map[string]*User{
		"SE":         {ID: 1, Role: RoleSE, Active: true},
		"OtherSE":    {ID: 2, Role: RoleSE, Active: true},
		"SA":         {ID: 3, Role: RoleSA, Active: true},
		"Manager":    {ID: 5, Role: RoleManager, Active: true},
		"Admin":      {ID: 6, Role: RoleAdmin, Active: true},
		"InactiveSE": {ID: 1, Role: RoleSE},
		"Nobody":     nil,
		"SAWithSEID": {ID: 2, Role: RoleSA, Active: true}, // an SA whose id is some SE's: sees nothing of theirs
	}
	for name, a := range actors {
		for i, p := range packs {
			if got, want := ScopeOf(a).Includes(p), CanSeePack(a, p); got != want {
				t.Errorf("%s, pack %d: in scope %v, CanSeePack %v", name, i, got, want)
			}
		}
	}
}

func TestParseCRMURLTemplate(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"", "  ", "https://acme.my.salesforce.com/{id}", "https://crm.example/opportunities?id={id}&view=full",
		"https://crm.example/{id}/view"} {
		if _, err := ParseCRMURLTemplate(ok); err != nil {
			t.Errorf("ParseCRMURLTemplate(%q) = %v, want ok", ok, err)
		}
	}
	for _, bad := range []string{
		"http://acme.my.salesforce.com/{id}", // not https
		"https://acme.my.salesforce.com/",    // no {id}
		"javascript:alert(1)//{id}",
		"https://{id}.example/",
		"https://user:pass@crm.example/{id}",
		"//crm.example/{id}",
		"https:///{id}",
		"https://crm.example/{id} x",
		"https://crm.example/\"{id}",
		"https://crm.example/" + string(make([]byte, MaxCRMURLTemplate)) + "{id}",
	} {
		_, err := ParseCRMURLTemplate(bad)
		if InvalidFields(err)["crm_url_template"] == "" {
			t.Errorf("ParseCRMURLTemplate(%q) = %v, want a field error", bad, err)
		}
	}
}

func TestCRMLinkEscapesTheID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ tmpl, id, want string }{
		{"https://acme.my.salesforce.com/{id}", "006Dn00000ABC", "https://acme.my.salesforce.com/006Dn00000ABC"},
		{"https://crm.example/{id}", "../admin?x=1#y", "https://crm.example/..%2Fadmin%3Fx=1%23y"},
		{"https://crm.example/o?id={id}&v=1", "a&b=c d", "https://crm.example/o?id=a%26b%3Dc+d&v=1"},
		{"https://crm.example/{id}", "..", ""},
		{"https://crm.example/{id}", "", ""},
		{"", "006", ""},
	} {
		if got := CRMLink(tc.tmpl, tc.id); got != tc.want {
			t.Errorf("CRMLink(%q, %q) = %q, want %q", tc.tmpl, tc.id, got, tc.want)
		}
	}
}
