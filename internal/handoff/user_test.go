package handoff

import (
	"strings"
	"testing"
)

func TestParseRole(t *testing.T) {
	tests := []struct {
		name, in string
		want     Role
		ok       bool
	}{
		{"SE", "se", RoleSE, true},
		{"SA", "sa", RoleSA, true},
		{"Manager", "manager", RoleManager, true},
		{"Admin", "admin", RoleAdmin, true},
		{"UpperCaseAccepted", "ADMIN", RoleAdmin, true},
		{"MixedCaseAccepted", "MaNaGeR", RoleManager, true},
		{"SurroundingSpaceTrimmed", "  Sa\t", RoleSA, true},
		{"ErrUnknown", "owner", "", false},
		{"ErrLabelIsNotACode", "Sales Engineer", "", false},
		{"ErrEmpty", "", "", false},
		{"ErrPrefix", "adm", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseRole(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseRole(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestRoleLabelShort(t *testing.T) {
	tests := []struct {
		role         Role
		label, short string
	}{
		{RoleSE, "Sales Engineer", "SE"},
		{RoleSA, "Solutions Architect", "SA"},
		{RoleManager, "Manager", "Manager"},
		{RoleAdmin, "Admin", "Admin"},
		{Role("owner"), "owner", "owner"}, // unknown roles show their code
		{Role(""), "", ""},
	}
	for _, tt := range tests {
		t.Run("Role_"+string(tt.role), func(t *testing.T) {
			if got := tt.role.Label(); got != tt.label {
				t.Errorf("Label() = %q, want %q", got, tt.label)
			}
			if got := tt.role.Short(); got != tt.short {
				t.Errorf("Short() = %q, want %q", got, tt.short)
			}
		})
	}
	t.Run("RolesListsAllFourInMenuOrder", func(t *testing.T) {
		want := []Role{RoleSE, RoleSA, RoleManager, RoleAdmin}
		if len(Roles) != len(want) {
			t.Fatalf("Roles = %q, want %q", Roles, want)
		}
		for i := range want {
			if Roles[i] != want[i] {
				t.Errorf("Roles[%d] = %q, want %q", i, Roles[i], want[i])
			}
		}
	})
}

func TestNormalizeEmail(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"AlreadyNormal", "ann@example.com", "ann@example.com"},
		{"LowerCased", "Ann.Lee@Example.COM", "ann.lee@example.com"},
		{"Trimmed", " \tann@example.com\n ", "ann@example.com"},
		{"Empty", "", ""},
		{"SpacesOnly", "   ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeEmail(tt.in); got != tt.want {
				t.Errorf("NormalizeEmail(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

const (
	msgEmailEmpty   = "Enter an email address."
	msgEmailInvalid = "Enter an email address like name@company.com."
	msgEmailLong    = "That email address is too long."
)

func TestValidateEmail(t *testing.T) {
	long := strings.Repeat("a", 249) + "@b.com" // 255 characters, one over
	maxLen := strings.Repeat("a", 248) + "@b.com"
	tests := []struct {
		name, in string
		wantMsg  string // "" when the address is fine
	}{
		{"OK", "ann@example.com", ""},
		{"OKSubdomain", "ann.lee+handoff@mail.example.co.uk", ""},
		{"OKLocalhost", "admin@localhost", ""},
		{"OKDigitsAndHyphen", "a1-b2@ex-ample.io", ""},
		{"OK254Characters", maxLen, ""},
		{"ErrEmpty", "", msgEmailEmpty},
		{"ErrNoAt", "ann.example.com", msgEmailInvalid},
		{"ErrNoLocalPart", "@example.com", msgEmailInvalid},
		{"ErrNoDomain", "ann@", msgEmailInvalid},
		{"ErrNoDotInDomain", "ann@example", msgEmailInvalid},
		{"ErrDisplayNameForm", "Ann <a@b.com>", msgEmailInvalid},
		{"ErrAngleBrackets", "<a@b.com>", msgEmailInvalid},
		{"ErrCommentForm", "a@b.com (Ann)", msgEmailInvalid},
		{"ErrTwoAddresses", "a@b.com, c@d.com", msgEmailInvalid},
		{"ErrSpaceInside", "ann lee@example.com", msgEmailInvalid},
		{"ErrLeadingSpace", " ann@example.com", msgEmailInvalid},
		{"ErrDoubleAt", "ann@@example.com", msgEmailInvalid},
		{"ErrLocalhostLookalike", "ann@localhost2", msgEmailInvalid},
		{"ErrTooLong", long, msgEmailLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateEmail(tt.in)
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("ValidateEmail(%q) = %v, want nil", tt.in, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("ValidateEmail(%q) = nil, want %q", tt.in, tt.wantMsg)
			}
			if code := ErrorCode(err); code != EINVALID {
				t.Errorf("ErrorCode = %q, want %q", code, EINVALID)
			}
			if msg := ErrorMessage(err); msg != tt.wantMsg {
				t.Errorf("ErrorMessage = %q, want %q", msg, tt.wantMsg)
			}
		})
	}
}

func TestUserInputValidate(t *testing.T) {
	const (
		msgName = "Enter the person's name."
		msgLong = "Keep the name under 200 characters."
		msgRole = "Choose a role: Sales Engineer, Solutions Architect, Manager or Admin."
	)
	tests := []struct {
		name      string
		in        UserInput
		wantRole  Role
		wantName  string // after normalisation
		wantEmail string // after normalisation
		wantErrs  map[string]string
	}{
		{
			name:     "OKTrimsAndLowerCases",
			in:       UserInput{Name: "  Ann Lee \n", Email: " Ann.Lee@Example.COM ", Role: " Manager "},
			wantRole: RoleManager, wantName: "Ann Lee", wantEmail: "ann.lee@example.com",
		},
		{
			name:     "OKName200Bytes",
			in:       UserInput{Name: strings.Repeat("n", 200), Email: "a@b.co", Role: "se"},
			wantRole: RoleSE, wantName: strings.Repeat("n", 200), wantEmail: "a@b.co",
		},
		{
			// The message promises characters and the database checks
			// length(name) in characters, so 150 two-byte letters are fine.
			name:     "OKMultiByteNameUnder200Characters",
			in:       UserInput{Name: strings.Repeat("é", 150), Email: "a@b.co", Role: "sa"},
			wantRole: RoleSA, wantName: strings.Repeat("é", 150), wantEmail: "a@b.co",
		},
		{
			name:     "ErrNameMissing",
			in:       UserInput{Name: "   ", Email: "a@b.co", Role: "admin"},
			wantRole: RoleAdmin, wantName: "", wantEmail: "a@b.co",
			wantErrs: map[string]string{"name": msgName},
		},
		{
			name:     "ErrNameTooLong",
			in:       UserInput{Name: strings.Repeat("n", 201), Email: "a@b.co", Role: "admin"},
			wantRole: RoleAdmin, wantName: strings.Repeat("n", 201), wantEmail: "a@b.co",
			wantErrs: map[string]string{"name": msgLong},
		},
		{
			name:     "ErrEmailMissing",
			in:       UserInput{Name: "Ann", Email: "  ", Role: "se"},
			wantRole: RoleSE, wantName: "Ann", wantEmail: "",
			wantErrs: map[string]string{"email": msgEmailEmpty},
		},
		{
			name:     "ErrEmailInvalid",
			in:       UserInput{Name: "Ann", Email: "Ann <ann@example.com>", Role: "se"},
			wantRole: RoleSE, wantName: "Ann", wantEmail: "ann <ann@example.com>",
			wantErrs: map[string]string{"email": msgEmailInvalid},
		},
		{
			name:     "ErrRoleUnknown",
			in:       UserInput{Name: "Ann", Email: "ann@example.com", Role: "owner"},
			wantRole: "", wantName: "Ann", wantEmail: "ann@example.com",
			wantErrs: map[string]string{"role": msgRole},
		},
		{
			name:     "ErrRoleMissing",
			in:       UserInput{Name: "Ann", Email: "ann@example.com"},
			wantRole: "", wantName: "Ann", wantEmail: "ann@example.com",
			wantErrs: map[string]string{"role": msgRole},
		},
		{
			name:     "ErrAllThreeAtOnce",
			in:       UserInput{Name: "", Email: "nope", Role: "boss"},
			wantRole: "", wantName: "", wantEmail: "nope",
			wantErrs: map[string]string{"name": msgName, "email": msgEmailInvalid, "role": msgRole},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			role, err := in.Validate()
			if role != tt.wantRole {
				t.Errorf("role = %q, want %q", role, tt.wantRole)
			}
			if in.Name != tt.wantName {
				t.Errorf("Name after Validate = %q, want %q", in.Name, tt.wantName)
			}
			if in.Email != tt.wantEmail {
				t.Errorf("Email after Validate = %q, want %q", in.Email, tt.wantEmail)
			}
			if tt.wantErrs == nil {
				if err != nil {
					t.Fatalf("Validate() error = %v, want nil", err)
				}
				return
			}
			if code := ErrorCode(err); code != EINVALID {
				t.Fatalf("ErrorCode = %q (err %v), want %q", code, err, EINVALID)
			}
			got := InvalidFields(err)
			if len(got) != len(tt.wantErrs) {
				t.Errorf("fields = %q, want %q", got, tt.wantErrs)
			}
			for k, want := range tt.wantErrs {
				if got[k] != want {
					t.Errorf("fields[%q] = %q, want %q", k, got[k], want)
				}
			}
		})
	}
}
