package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/password"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

// userCLI runs `handoff user …` in-process against one fresh, migrated
// database, and reads that database back to check what the command stored.
type userCLI struct {
	t   *testing.T
	url string
	db  *postgres.DB
}

func newUserCLI(t *testing.T) *userCLI {
	t.Helper()
	url := postgrestest.URL(t)
	db, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(db.Close)
	return &userCLI{t: t, url: url, db: db}
}

// run runs `handoff user args…` with stdin and returns its output and error.
func (c *userCLI) run(stdin string, args ...string) (stdout, stderr string, err error) {
	c.t.Helper()
	var out, errOut bytes.Buffer
	p := &program{
		getenv: func(k string) string {
			if k == "DATABASE_URL" {
				return c.url
			}
			return ""
		},
		stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut,
	}
	err = p.run(c.t.Context(), append([]string{"user"}, args...))
	return out.String(), errOut.String(), err
}

// mustRun is run for commands that must succeed.
func (c *userCLI) mustRun(stdin string, args ...string) string {
	c.t.Helper()
	out, errOut, err := c.run(stdin, args...)
	if err != nil {
		c.t.Fatalf("handoff user %s: %v\nstderr: %s", strings.Join(args, " "), err, errOut)
	}
	return out
}

// add creates a user through the CLI.
func (c *userCLI) add(email, name, role, pw string) string {
	c.t.Helper()
	return c.mustRun(pw+"\n", "add", "--email", email, "--name", name, "--role", role, "--password-stdin")
}

// passwordHash returns the stored password_hash of email ("" when NULL).
func (c *userCLI) passwordHash(email string) string {
	c.t.Helper()
	var hash *string
	if err := c.db.Pool.QueryRow(c.t.Context(), `SELECT password_hash FROM users WHERE email = $1`, email).Scan(&hash); err != nil {
		c.t.Fatalf("password_hash of %s: %v", email, err)
	}
	if hash == nil {
		return ""
	}
	return *hash
}

// active returns the stored active flag and session version of email.
func (c *userCLI) active(email string) (bool, int) {
	c.t.Helper()
	var (
		active bool
		sv     int
	)
	if err := c.db.Pool.QueryRow(c.t.Context(), `SELECT active, session_version FROM users WHERE email = $1`, email).Scan(&active, &sv); err != nil {
		c.t.Fatalf("active of %s: %v", email, err)
	}
	return active, sv
}

func (c *userCLI) countUsers() int {
	c.t.Helper()
	var n int
	if err := c.db.Pool.QueryRow(c.t.Context(), `SELECT count(*) FROM users`).Scan(&n); err != nil {
		c.t.Fatalf("count users: %v", err)
	}
	return n
}

// listLine returns the line of `handoff user list` that shows email.
func (c *userCLI) listLine(email string) string {
	c.t.Helper()
	out := c.mustRun("", "list")
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, " "+email+" ") {
			return line
		}
	}
	c.t.Fatalf("user list does not show %s:\n%s", email, out)
	return ""
}

func mustVerify(t *testing.T, pw, hash string) bool {
	t.Helper()
	ok, err := password.Verify(pw, hash)
	if err != nil {
		t.Fatalf("password.Verify(%q, %q): %v", pw, hash, err)
	}
	return ok
}

// wantCLIError checks that err is the failure a person should see: the exit
// code, and a message that says what to fix without internal detail.
func wantCLIError(t *testing.T, err error, code int, wantMsg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil, want exit %d with %q", code, wantMsg)
	}
	if got := exitCode(err); got != code {
		t.Errorf("exitCode(%v) = %d, want %d", err, got, code)
	}
	if !strings.Contains(err.Error(), wantMsg) {
		t.Errorf("err = %q, want it to contain %q", err, wantMsg)
	}
	for _, leak := range []string{"postgres:", "SQLSTATE", "handoff: invalid", "handoff: not_found", "handoff: conflict"} {
		if strings.Contains(err.Error(), leak) {
			t.Errorf("err = %q leaks internal text %q", err, leak)
		}
	}
}

func TestUserCommandAdd(t *testing.T) {
	t.Parallel()
	c := newUserCLI(t)
	const annPW = "plum tree lantern rides"
	out := c.mustRun(annPW+"\n", "add", "--email", " Ann.Lee@Example.COM ", "--name", " Ann Lee ", "--role", "ADMIN", "--password-stdin")
	if !strings.HasPrefix(out, "added Ann Lee <ann.lee@example.com> as Admin (id ") {
		t.Errorf("add printed %q", out)
	}

	t.Run("ListShowsUser", func(t *testing.T) {
		line := c.listLine("ann.lee@example.com")
		for _, want := range []string{"Ann Lee", "admin", "active"} {
			if !strings.Contains(line, want) {
				t.Errorf("list line %q lacks %q", line, want)
			}
		}
		if strings.Contains(line, "no password yet") || strings.Contains(line, "deactivated") {
			t.Errorf("list line %q, want an active user with a password", line)
		}
	})

	t.Run("StoresArgon2idHashOfPasswordWithoutNewline", func(t *testing.T) {
		hash := c.passwordHash("ann.lee@example.com")
		if !strings.HasPrefix(hash, "$argon2id$") {
			t.Fatalf("password_hash = %q, want an $argon2id$ PHC string", hash)
		}
		if !strings.Contains(hash, "m=19456,t=2,p=1") {
			t.Errorf("password_hash = %q, want the default cost m=19456,t=2,p=1", hash)
		}
		if strings.Contains(hash, annPW) {
			t.Errorf("password_hash contains the password in clear: %q", hash)
		}
		if !mustVerify(t, annPW, hash) {
			t.Errorf("stored hash does not verify the password given on stdin")
		}
		if mustVerify(t, annPW+"\n", hash) {
			t.Errorf("stored hash verifies the password with its trailing newline")
		}
	})

	t.Run("CRLFStrippedFromStdin", func(t *testing.T) {
		const bobPW = "copper kettle sings loud"
		c.mustRun(bobPW+"\r\n", "add", "--email", "bob@example.com", "--name", "Bob", "--role", "se", "--password-stdin")
		if !mustVerify(t, bobPW, c.passwordHash("bob@example.com")) {
			t.Errorf("stored hash does not verify %q piped with CRLF", bobPW)
		}
		if line := c.listLine("bob@example.com"); !strings.Contains(line, " se ") {
			t.Errorf("list line %q, want role se", line)
		}
	})
}

func TestUserCommandErrors(t *testing.T) {
	t.Parallel()
	c := newUserCLI(t)
	c.add("ann@example.com", "Ann", "admin", "plum tree lantern rides")
	const goodPW = "copper kettle sings loud\n"

	tests := []struct {
		name    string
		stdin   string
		args    []string
		code    int
		wantMsg string
		// wantStderr is help the person sees beside the error, if any.
		wantStderr string
	}{
		{"ErrDuplicateEmail", goodPW,
			[]string{"add", "--email", "ann@example.com", "--name", "Ann Two", "--role", "se", "--password-stdin"},
			1, "--email: Someone already has this email address.", ""},
		{"ErrDuplicateEmailOtherCase", goodPW,
			[]string{"add", "--email", "ANN@Example.Com", "--name", "Ann Two", "--role", "se", "--password-stdin"},
			1, "--email: Someone already has this email address.", ""},
		{"ErrUnknownRole", goodPW,
			[]string{"add", "--email", "bob@example.com", "--name", "Bob", "--role", "owner", "--password-stdin"},
			1, "--role: Choose a role: Sales Engineer, Solutions Architect, Manager or Admin.", ""},
		{"ErrMissingName", goodPW,
			[]string{"add", "--email", "bob@example.com", "--role", "se", "--password-stdin"},
			1, "--name: Enter the person's name.", ""},
		{"ErrInvalidEmail", goodPW,
			[]string{"add", "--email", "Bob <bob@example.com>", "--name", "Bob", "--role", "se", "--password-stdin"},
			1, "--email: Enter an email address like name@company.com.", ""},
		{"ErrWeakPasswordTooShort", "short pw\n",
			[]string{"add", "--email", "bob@example.com", "--name", "Bob", "--role", "se", "--password-stdin"},
			1, "weak password: Use at least 12 characters", ""},
		{"ErrWeakPasswordCommon", "Password1234\n",
			[]string{"add", "--email", "bob@example.com", "--name", "Bob", "--role", "se", "--password-stdin"},
			1, "weak password: That password is on the list attackers try first", ""},
		{"ErrNoPasswordOnStdin", "",
			[]string{"add", "--email", "bob@example.com", "--name", "Bob", "--role", "se", "--password-stdin"},
			1, "no password on stdin", ""},
		{"ErrUsageMissingPasswordStdin", goodPW,
			[]string{"add", "--email", "bob@example.com", "--name", "Bob", "--role", "se"},
			2, "user add: --password-stdin is required", ""},
		{"ErrUsageMissingEmail", goodPW,
			[]string{"add", "--name", "Bob", "--role", "se", "--password-stdin"},
			2, "user add: --email is required", ""},
		{"ErrUsageSetPasswordMissingPasswordStdin", goodPW,
			[]string{"set-password", "--email", "ann@example.com"},
			2, "user set-password: --password-stdin is required", ""},
		{"ErrUsageDeactivateMissingEmail", "",
			[]string{"deactivate"},
			2, "user deactivate: --email is required", ""},
		{"ErrUsageUnknownAction", "",
			[]string{"promote", "--email", "ann@example.com"},
			2, `user: unknown action "promote"`, "handoff user set-password --email E --password-stdin"},
		{"ErrUsageNoAction", "", nil, 2, "user: no action given", "handoff user add --email E"},
		{"ErrUsageUnknownFlag", goodPW,
			[]string{"add", "--mail", "bob@example.com"},
			2, "flag provided but not defined: -mail", "-password-stdin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, err := c.run(tt.stdin, tt.args...)
			wantCLIError(t, err, tt.code, tt.wantMsg)
			if out != "" {
				t.Errorf("stdout = %q, want nothing on failure", out)
			}
			if !strings.Contains(errOut, tt.wantStderr) {
				t.Errorf("stderr = %q, want it to contain %q", errOut, tt.wantStderr)
			}
		})
	}
	t.Run("NothingCreatedByFailures", func(t *testing.T) {
		if n := c.countUsers(); n != 1 {
			t.Errorf("%d users after failed adds, want only the first one", n)
		}
	})
}

func TestUserCommandSetPassword(t *testing.T) {
	t.Parallel()
	c := newUserCLI(t)
	const oldPW, newPW = "plum tree lantern rides", "copper kettle sings loud"
	c.add("ann@example.com", "Ann", "manager", oldPW)
	oldHash := c.passwordHash("ann@example.com")
	_, oldVersion := c.active("ann@example.com")

	t.Run("ChangesPassword", func(t *testing.T) {
		out := c.mustRun(newPW+"\n", "set-password", "--email", "ANN@example.com", "--password-stdin")
		if !strings.Contains(out, "password changed for ann@example.com") {
			t.Errorf("set-password printed %q", out)
		}
		hash := c.passwordHash("ann@example.com")
		if hash == oldHash || !strings.HasPrefix(hash, "$argon2id$") {
			t.Fatalf("password_hash = %q (old %q), want a new argon2id hash", hash, oldHash)
		}
		if !mustVerify(t, newPW, hash) {
			t.Errorf("new hash does not verify the new password")
		}
		if mustVerify(t, oldPW, hash) {
			t.Errorf("new hash still verifies the old password")
		}
		if _, v := c.active("ann@example.com"); v != oldVersion+1 {
			t.Errorf("session_version = %d, want %d so old sessions end", v, oldVersion+1)
		}
	})

	t.Run("ErrUnknownEmail", func(t *testing.T) {
		_, _, err := c.run(newPW+"\n", "set-password", "--email", "nobody@example.com", "--password-stdin")
		wantCLIError(t, err, 1, "user set-password: No one has that email address.")
	})

	t.Run("ErrWeakPasswordKeepsOld", func(t *testing.T) {
		before := c.passwordHash("ann@example.com")
		_, _, err := c.run("tiny\n", "set-password", "--email", "ann@example.com", "--password-stdin")
		wantCLIError(t, err, 1, "weak password: Use at least 12 characters")
		if after := c.passwordHash("ann@example.com"); after != before {
			t.Errorf("password_hash changed after a refused password")
		}
	})
}

func TestUserCommandDeactivate(t *testing.T) {
	t.Parallel()
	c := newUserCLI(t)
	c.add("ann@example.com", "Ann", "admin", "plum tree lantern rides")
	c.add("bob@example.com", "Bob", "se", "copper kettle sings loud")

	t.Run("DeactivatesUser", func(t *testing.T) {
		_, before := c.active("bob@example.com")
		out := c.mustRun("", "deactivate", "--email", "Bob@Example.com")
		if !strings.Contains(out, "deactivated bob@example.com") {
			t.Errorf("deactivate printed %q", out)
		}
		active, after := c.active("bob@example.com")
		if active {
			t.Errorf("bob still active after deactivate")
		}
		if after != before+1 {
			t.Errorf("session_version = %d, want %d so open sessions end", after, before+1)
		}
		if line := c.listLine("bob@example.com"); !strings.Contains(line, "deactivated") {
			t.Errorf("list line %q, want deactivated", line)
		}
	})

	t.Run("ErrLastActiveAdmin", func(t *testing.T) {
		_, _, err := c.run("", "deactivate", "--email", "ann@example.com")
		wantCLIError(t, err, 1, "user deactivate: Ann is the last active admin.")
		if active, _ := c.active("ann@example.com"); !active {
			t.Errorf("last admin was deactivated")
		}
	})

	t.Run("AdminWhenAnotherRemains", func(t *testing.T) {
		c.add("cat@example.com", "Cat", "admin", "violet harbour at dawn")
		c.mustRun("", "deactivate", "--email", "ann@example.com")
		if active, _ := c.active("ann@example.com"); active {
			t.Errorf("ann still active")
		}
		_, _, err := c.run("", "deactivate", "--email", "cat@example.com")
		wantCLIError(t, err, 1, "user deactivate: Cat is the last active admin.")
	})

	t.Run("ErrUnknownEmail", func(t *testing.T) {
		_, _, err := c.run("", "deactivate", "--email", "nobody@example.com")
		wantCLIError(t, err, 1, "user deactivate: No one has that email address.")
	})
}
