package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/password"
	"github.com/handoff-app/handoff/internal/postgres"
)

const userUsage = `Usage:
  handoff user add --email E --name N --role se|sa|manager|admin --password-stdin
  handoff user list
  handoff user set-password --email E --password-stdin
  handoff user deactivate --email E
  handoff user unlink-sso --email E`

// user runs the `handoff user …` commands used to bootstrap and operate an
// install from scripts.
func (p *program) user(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(p.stderr, userUsage)
		return usageError{"user: no action given"}
	}
	action, rest := args[0], args[1:]
	fs := flag.NewFlagSet("user "+action, flag.ContinueOnError)
	fs.SetOutput(p.stderr)
	email := fs.String("email", "", "the person's email address")
	name := fs.String("name", "", "the person's name")
	role := fs.String("role", "", "se, sa, manager or admin")
	pwStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	if err := fs.Parse(rest); err != nil {
		return usageError{err.Error()}
	}

	switch action {
	case "add", "set-password", "deactivate", "unlink-sso":
		if *email == "" {
			return usageError{fmt.Sprintf("user %s: --email is required", action)}
		}
	case "list":
	default:
		fmt.Fprintln(p.stderr, userUsage)
		return usageError{fmt.Sprintf("user: unknown action %q", action)}
	}
	if (action == "add" || action == "set-password") && !*pwStdin {
		return usageError{fmt.Sprintf("user %s: --password-stdin is required (pipe the password in, so it stays out of shell history)", action)}
	}

	_, _, db, err := p.openMigrated(ctx, false)
	if err != nil {
		return err
	}
	defer db.Close()

	switch action {
	case "add":
		in := handoff.UserInput{Name: *name, Email: *email, Role: *role}
		r, err := in.Validate()
		if err != nil {
			return fieldsError("user add", err)
		}
		hash, err := p.readPassword(in.Email)
		if err != nil {
			return err
		}
		u, err := db.CreateUser(ctx, postgres.NewUser{Email: in.Email, Name: in.Name, Role: r, PasswordHash: hash})
		if err != nil {
			return fieldsError("user add", err)
		}
		fmt.Fprintf(p.stdout, "added %s <%s> as %s (id %d)\n", u.Name, u.Email, u.Role.Label(), u.ID)
	case "list":
		users, err := db.Users(ctx, postgres.UserFilter{})
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(p.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE\tSTATUS")
		for _, u := range users {
			status := "active"
			if !u.Active {
				status = "deactivated"
			} else if !u.HasPassword {
				status = "no password yet"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, status)
		}
		return tw.Flush()
	case "set-password":
		u, _, err := db.UserByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("user set-password: %s", handoff.ErrorMessage(err))
		}
		hash, err := p.readPassword(u.Email)
		if err != nil {
			return err
		}
		if _, err := db.SetPasswordHash(ctx, u.ID, hash); err != nil {
			return err
		}
		fmt.Fprintf(p.stdout, "password changed for %s; their sessions have ended\n", u.Email)
	case "deactivate":
		u, _, err := db.UserByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("user deactivate: %s", handoff.ErrorMessage(err))
		}
		if _, err := db.SetUserActive(ctx, nil, u.ID, false); err != nil {
			return fmt.Errorf("user deactivate: %s", handoff.ErrorMessage(err))
		}
		fmt.Fprintf(p.stdout, "deactivated %s; their sessions have ended\n", u.Email)
	case "unlink-sso":
		// The way out when the identity provider made someone anew and their
		// sign-in is refused as another identity (docs/sso.md).
		u, _, err := db.UserByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("user unlink-sso: %s", handoff.ErrorMessage(err))
		}
		_, removed, err := db.UnlinkSSO(ctx, u.ID)
		if err != nil {
			return err
		}
		if !removed {
			fmt.Fprintf(p.stdout, "%s is not linked to single sign-on; nothing changed\n", u.Email)
			return nil
		}
		fmt.Fprintf(p.stdout, "unlinked %s from single sign-on; their sessions have ended, and their next sign-in links the account again\n", u.Email)
	}
	return nil
}

// readPassword reads one password from stdin (a trailing newline is not part
// of it), checks it and returns its hash.
func (p *program) readPassword(email string) (string, error) {
	b, err := io.ReadAll(io.LimitReader(p.stdin, 4096))
	if err != nil {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	pw := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if pw == "" {
		return "", errors.New("no password on stdin: pipe it in, e.g. `printf '%s' \"$PW\" | handoff user add …`")
	}
	if err := handoff.ValidatePassword(pw, email); err != nil {
		return "", fmt.Errorf("weak password: %s", handoff.ErrorMessage(err))
	}
	return password.Default().Hash(pw)
}

// fieldsError turns per-field problems into one line per field.
func fieldsError(op string, err error) error {
	fields := handoff.InvalidFields(err)
	if fields == nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	var parts []string
	for _, k := range []string{"name", "email", "role"} {
		if msg, ok := fields[k]; ok {
			parts = append(parts, fmt.Sprintf("--%s: %s", k, msg))
		}
	}
	return fmt.Errorf("%s: %s", op, strings.Join(parts, "; "))
}
