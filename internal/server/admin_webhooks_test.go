package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/jobs"
	"github.com/handoff-app/handoff/internal/mail"
	"github.com/handoff-app/handoff/internal/server"
	"github.com/handoff-app/handoff/internal/server/servertest"
	"github.com/handoff-app/handoff/internal/webhook"
	"github.com/handoff-app/handoff/internal/webhook/webhooktest"
)

// allowPrivate is HANDOFF_WEBHOOK_ALLOW_PRIVATE=1: the tests' receivers
// listen on loopback.
func allowPrivate(c *server.Config) { c.WebhookAllowPrivate = true }

// startWorkers runs the job workers on env's database, as handoff serve
// does, so queued deliveries go out.
func startWorkers(t *testing.T, env *servertest.Env) {
	t.Helper()
	r, err := jobs.New(jobs.Config{DB: env.DB, Mail: mail.NewLog(slog.New(slog.NewTextHandler(io.Discard, nil))),
		BaseURL: env.Server.URL, SweepEvery: -1, FetchPollInterval: 20 * time.Millisecond, WebhookAllowPrivate: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = r.Stop(ctx)
	})
}

func allEvents() []string {
	var out []string
	for _, t := range webhook.AllTypes() {
		out = append(out, string(t))
	}
	return out
}

func TestAdminManagesWebhooks(t *testing.T) {
	t.Parallel()
	env := servertest.New(t, allowPrivate)
	env.CreateUser("Ada Admin", "ada@example.com", handoff.RoleAdmin)
	env.CreateUser("Max Manager", "max@example.com", handoff.RoleManager)
	admin := env.Login("ada@example.com")
	rcv := webhooktest.NewReceiver(t)
	rcv.Answer(http.StatusOK, "thanks")

	page := admin.Get("/admin/webhooks")
	if page.StatusCode != http.StatusOK || page.Doc().Find(`input[name="events"]:checked`).Length() != len(webhook.AllTypes()) {
		t.Fatalf("GET /admin/webhooks: %d; want every event ticked for a new endpoint", page.StatusCode)
	}
	if nav := page.Doc().Find(`.site-nav a[href="/admin/webhooks"]`); nav.Text() != "Webhooks" {
		t.Errorf("nav item %q", nav.Text())
	}

	// Post/redirect/get: the POST adds the endpoint and sends the browser
	// to its page, which shows the secret this once.
	res := admin.PostForm("/admin/webhooks", url.Values{"url": {rcv.URL + "/in"}, "kind": {"standard"},
		"events": allEvents(), "description": {"Salesforce"}})
	path := res.Header.Get("Location")
	id, err := strconv.ParseInt(strings.TrimPrefix(path, "/admin/webhooks/"), 10, 64)
	if res.StatusCode != http.StatusSeeOther || err != nil {
		t.Fatalf("create: %d → %q", res.StatusCode, path)
	}
	res = admin.Get(path)
	if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "no-store" || !strings.Contains(res.Text(".flash"), "Added Salesforce") {
		t.Fatalf("the new endpoint's page: %d, Cache-Control %q, flash %q", res.StatusCode, res.Header.Get("Cache-Control"), res.Text(".flash"))
	}
	secret, _ := res.Doc().Find(`input[data-testid="webhook-secret"]`).Attr("value")
	if !strings.HasPrefix(secret, "whsec_") || res.Doc().Find(`button[data-copy-target="webhook-secret"]`).Length() != 1 {
		t.Fatalf("secret %q and its copy button", secret)
	}
	rcv.SetSecret(secret)
	startWorkers(t, env)

	t.Run("SecretShownOnce", func(t *testing.T) {
		res := admin.Get(path) // a reload
		if strings.Contains(res.Body, secret) || res.Doc().Find(`[data-testid="webhook-secret"]`).Length() != 0 {
			t.Error("the endpoint page shows the secret again")
		}
		res = admin.Get("/admin/webhooks")
		if strings.Contains(res.Body, secret) || !strings.Contains(res.Text(`[data-testid="endpoint-`+strconv.FormatInt(id, 10)+`"]`), "Salesforce") {
			t.Error("the list must name the endpoint and never show its secret")
		}
		if es, _ := env.DB.WebhookEndpoints(context.Background()); len(es) != 1 {
			t.Errorf("%d endpoints after the reloads, want 1", len(es))
		}
	})

	t.Run("TestEventDeliveredAndLogged", func(t *testing.T) {
		if res := admin.PostForm(path+"/test", nil); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path {
			t.Fatalf("send test: %d → %s", res.StatusCode, res.Header.Get("Location"))
		}
		if got := admin.Get(path); !strings.Contains(got.Text(".flash"), "Test event queued") {
			t.Fatalf("after send: flash %q", got.Text(".flash"))
		}
		d := rcv.Wait(1, 10*time.Second)[0]
		if d.Problem != "" || d.Type != "webhook.test" {
			t.Fatalf("receiver: %q %q", d.Type, d.Problem)
		}
		row := waitForRow(t, admin, path, "Delivered · 200")
		for _, want := range []string{"Test event", "thanks", " ms", "Redeliver"} {
			if !strings.Contains(row, want) {
				t.Errorf("log row %q lacks %q", row, want)
			}
		}
	})

	t.Run("Redeliver", func(t *testing.T) {
		did, _ := admin.Get(path).Doc().Find(`[data-testid="delivery-log"] tbody tr`).First().Attr("data-testid")
		res := admin.PostForm(path+"/deliveries/"+strings.TrimPrefix(did, "delivery-")+"/redeliver", nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("redeliver: %d", res.StatusCode)
		}
		rcv.Wait(2, 10*time.Second)
		row := waitForRow(t, admin, path, "Delivered · 200")
		if !strings.Contains(row, "redelivery of #"+strings.TrimPrefix(did, "delivery-")) {
			t.Errorf("newest row %q", row)
		}
	})

	t.Run("DisableAndEnable", func(t *testing.T) {
		admin.PostForm(path+"/disable", nil)
		got := admin.Get(path)
		if !strings.Contains(got.Text(`[data-testid="disabled-reason"]`), "Turned off by Ada Admin.") ||
			got.Doc().Find(`form[action$="/redeliver"]`).Length() != 0 {
			t.Errorf("disabled page: %q", got.Text(`[data-testid="disabled-reason"]`))
		}
		admin.PostForm(path+"/test", nil)
		if msg := admin.Get(path).Text(".flash"); !strings.Contains(msg, "disabled. Enable it first") {
			t.Errorf("test to a disabled endpoint: %q", msg)
		}
		admin.PostForm(path+"/enable", nil)
		if got := admin.Get(path); got.Doc().Find(`[data-testid="disabled-reason"]`).Length() != 0 || !strings.Contains(got.Text(".page-head"), "Enabled") {
			t.Error("still disabled after Enable")
		}
	})

	t.Run("FailingStreakShown", func(t *testing.T) {
		since := servertest.Today().Add(-30 * time.Hour)
		if _, err := env.DB.Pool.Exec(context.Background(), `UPDATE webhook_endpoints SET failing_since = $2, last_failure_at = $3 WHERE id = $1`,
			id, since, since.Add(25*time.Hour)); err != nil {
			t.Fatal(err)
		}
		text := admin.Get("/admin/webhooks").Text(`[data-testid="endpoint-` + strconv.FormatInt(id, 10) + `"] [data-testid="failing"]`)
		if !strings.Contains(text, "Failing since") || !strings.Contains(text, "last failed") {
			t.Errorf("state %q", text)
		}
	})

	t.Run("RolledSecretHonouredForADay", func(t *testing.T) {
		newSecret, _ := webhook.NewSecret()
		if _, err := env.DB.RollWebhookSecret(context.Background(), id, newSecret, servertest.Today().Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		page := admin.Get(path)
		if !strings.Contains(page.Text(`[data-testid="old-secret"]`), "previous secret") || strings.Contains(page.Body, newSecret) {
			t.Errorf("old secret line %q", page.Text(`[data-testid="old-secret"]`))
		}
	})

	t.Run("OnlyAdmins", func(t *testing.T) {
		max := env.Login("max@example.com")
		for _, p := range []string{"/admin/webhooks", path} {
			if res := max.Get(p); res.StatusCode != http.StatusNotFound {
				t.Errorf("manager GET %s: %d, want 404", p, res.StatusCode)
			}
		}
	})

	t.Run("RemoveAsksFirst", func(t *testing.T) {
		confirm := admin.Get(path + "/remove")
		if confirm.StatusCode != http.StatusOK || confirm.Doc().Find(`form[action="`+path+`/remove"] button`).Length() != 1 {
			t.Fatalf("confirmation: %d", confirm.StatusCode)
		}
		if res := admin.PostForm(path+"/remove", nil); res.StatusCode != http.StatusOK || admin.Get(path).StatusCode != http.StatusOK {
			t.Fatalf("remove without the confirmation: %d; want the question again, nothing removed", res.StatusCode)
		}
		if res := admin.PostForm(path+"/remove", url.Values{"confirm": {"yes"}}); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/webhooks" {
			t.Fatalf("remove: %d → %s", res.StatusCode, res.Header.Get("Location"))
		}
		if res := admin.Get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("removed endpoint: %d", res.StatusCode)
		}
	})

	t.Run("Slack", func(t *testing.T) {
		slack := webhooktest.NewSlack(t)
		res := admin.PostForm("/admin/webhooks", url.Values{"url": {slack.URL()}, "kind": {"slack"}, "events": {"pack.submitted"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create slack: %d", res.StatusCode)
		}
		got := admin.Get(res.Header.Get("Location"))
		if strings.Contains(got.Body, "whsec_") || strings.Contains(got.Body, "XXXXXXXX") || !strings.Contains(got.Text(".flash"), "Slack") {
			t.Errorf("slack endpoint page shows a secret or its URL's secret part: %q", got.Text("main"))
		}
	})
}

// waitForRow reloads the endpoint page until its newest delivery says want,
// and returns that row's text.
func waitForRow(t *testing.T, c *servertest.Client, path, want string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		row := c.Get(path).Text(`[data-testid="delivery-log"] tbody tr`)
		if strings.Contains(row, want) {
			return row
		}
		if time.Now().After(deadline) {
			t.Fatalf("newest delivery %q, want %q", row, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestAdminWebhookFormRefusesBadEndpoints(t *testing.T) {
	t.Parallel()
	env := servertest.New(t) // private addresses not allowed
	env.CreateUser("Ada Admin", "ada@example.com", handoff.RoleAdmin)
	admin := env.Login("ada@example.com")
	for _, tc := range []struct {
		name  string
		form  url.Values
		field string
		want  string
	}{
		{"ErrPlainHTTP", url.Values{"url": {"http://crm.example.com/in"}, "events": allEvents()}, "url", "https://"},
		{"ErrLoopback", url.Values{"url": {"https://127.0.0.1/in"}, "events": allEvents()}, "url", "loopback"},
		{"ErrPrivate", url.Values{"url": {"https://10.0.0.8/in"}, "events": allEvents()}, "url", "private"},
		{"ErrMetadataService", url.Values{"url": {"https://169.254.169.254/latest/meta-data"}, "events": allEvents()}, "url", "link-local"},
		{"ErrIPv6Loopback", url.Values{"url": {"https://[::1]/in"}, "events": allEvents()}, "url", "loopback"},
		{"ErrNameResolvingToLoopback", url.Values{"url": {"https://localhost/in"}, "events": allEvents()}, "url", "loopback"},
		{"ErrNoEvents", url.Values{"url": {"https://93.184.216.34/in"}, "description": {"Kept"}}, "events", "at least one event"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := admin.PostForm("/admin/webhooks", tc.form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			if msg := res.Text("#f-" + tc.field + "-error"); tc.field == "url" && !strings.Contains(msg, tc.want) {
				t.Errorf("url error %q, want %q", msg, tc.want)
			}
			if msg := res.Text("#f-events-error"); tc.field == "events" && !strings.Contains(msg, tc.want) {
				t.Errorf("events error %q", msg)
			}
			if v, _ := res.Doc().Find("#f-url").Attr("value"); v != tc.form.Get("url") {
				t.Errorf("the address typed was not kept: %q", v)
			}
		})
	}
	if es, _ := env.DB.WebhookEndpoints(context.Background()); len(es) != 0 {
		t.Errorf("%d endpoints stored", len(es))
	}
}

func TestAdminWebhookLogIsPaged(t *testing.T) {
	t.Parallel()
	env := servertest.New(t, allowPrivate)
	env.CreateUser("Ada Admin", "ada@example.com", handoff.RoleAdmin)
	admin := env.Login("ada@example.com")
	res := admin.PostForm("/admin/webhooks", url.Values{"url": {"http://127.0.0.1:9/in"}, "events": {"pack.submitted"}})
	link := res.Header.Get("Location")
	for range 27 {
		if res := admin.PostForm(link+"/test", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("test %d", res.StatusCode)
		}
	}
	first := admin.Get(link).Doc()
	older, _ := first.Find(`.pager a[rel="next"]`).Attr("href")
	if n := first.Find(`[data-testid="delivery-log"] tbody tr`).Length(); n != 25 || older == "" {
		t.Fatalf("first page: %d rows, older %q", n, older)
	}
	if row := first.Find(`[data-testid="delivery-log"] tbody tr`).First().Text(); !strings.Contains(row, "Queued") || strings.Contains(row, "Redeliver") {
		t.Errorf("a delivery no worker has sent yet: %q", row)
	}
	second := admin.Get(older).Doc()
	if n := second.Find(`[data-testid="delivery-log"] tbody tr`).Length(); n != 2 || second.Find(`.pager a[rel="next"]`).Length() != 0 {
		t.Errorf("second page: %d rows", n)
	}
	if res := admin.Get(link + "?before=x"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a bad cursor: %d", res.StatusCode)
	}

	newest, _ := first.Find(`[data-testid="delivery-log"] tbody tr`).First().Attr("data-testid")
	did := strings.TrimPrefix(newest, "delivery-")
	t.Run("ErrRedeliverWhileQueued", func(t *testing.T) {
		res := admin.PostForm(link+"/deliveries/"+did+"/redeliver", nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != link {
			t.Fatalf("redeliver a queued delivery: %d → %s", res.StatusCode, res.Header.Get("Location"))
		}
		page := admin.Get(link)
		if msg := page.Text(".flash"); !strings.Contains(msg, "still being sent") {
			t.Errorf("flash %q", msg)
		}
		if n := page.Doc().Find(`[data-testid="delivery-log"] tbody tr`).Length(); n != 25 || strings.Contains(page.Text("tbody"), "redelivery of") {
			t.Error("a redelivery was added")
		}
	})
	t.Run("GaveUpShowsAndMayBeRedelivered", func(t *testing.T) {
		if _, err := env.DB.Pool.Exec(context.Background(), `UPDATE webhook_deliveries SET state = 'gave_up', attempts = 8,
			status_code = 503, problem = 'The receiver answered 503 Service Unavailable. Gave up after 8 attempts; redeliver it once the receiver works.',
			finished_at = now() WHERE id = $1`, did); err != nil {
			t.Fatal(err)
		}
		row := admin.Get(link).Doc().Find(`[data-testid="delivery-` + did + `"]`)
		if text := row.Text(); !strings.Contains(text, "Gave up · 503") || !strings.Contains(text, "Gave up after 8 attempts") ||
			row.Find(`form[action$="/redeliver"]`).Length() != 1 {
			t.Errorf("row %q", text)
		}
	})
}
