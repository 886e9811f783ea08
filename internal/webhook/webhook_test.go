package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/handoff-app/handoff/internal/api"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/webhook"
	"github.com/handoff-app/handoff/internal/webhook/webhooktest"
)

func TestTypeOfMapsEachPackEventOnce(t *testing.T) {
	t.Parallel()
	for kind, want := range map[string]webhook.Type{
		handoff.EventCreated:            webhook.DealCreated,
		handoff.EventSubmitted:          webhook.PackSubmitted,
		handoff.EventReturned:           webhook.PackReturned,
		handoff.EventAcknowledged:       webhook.PackAcknowledged,
		handoff.EventCommitmentApproved: webhook.CommitmentDecided,
		handoff.EventCommitmentVetoed:   webhook.CommitmentDecided,
		handoff.EventLocked:             webhook.ArchitectureLocked,
		handoff.EventSectionSaved:       "",
		handoff.EventReviewed:           "",
		handoff.EventReassigned:         "",
		handoff.EventDeadlineChanged:    "",
	} {
		got, ok := webhook.TypeOf(kind)
		if got != want || ok != (want != "") {
			t.Errorf("TypeOf(%q) = %q, %v; want %q", kind, got, ok, want)
		}
	}
	// Every subscribable type but clock.overdue (the sweep's) comes from a
	// pack event kind.
	for _, ty := range webhook.AllTypes() {
		if ty == webhook.ClockOverdue {
			continue
		}
		if webhook.Type(ty).Label() == string(ty) {
			t.Errorf("%s has no label", ty)
		}
	}
}

func TestParseTypes(t *testing.T) {
	t.Parallel()
	got, err := webhook.ParseTypes([]string{" clock.overdue", "deal.created", "DEAL.CREATED", ""})
	if err != nil || !slices.Equal(got, []webhook.Type{webhook.DealCreated, webhook.ClockOverdue}) {
		t.Errorf("got %v, %v; want deal.created, clock.overdue in the list's order, once", got, err)
	}
	t.Run("ErrUnknown", func(t *testing.T) {
		_, err := webhook.ParseTypes([]string{"pack.deleted"})
		if msg := handoff.ErrorMessage(err); !strings.Contains(msg, `"pack.deleted"`) || !strings.Contains(msg, "pack.submitted") {
			t.Errorf("message %q should name the bad one and the good ones", msg)
		}
	})
	t.Run("ErrNone", func(t *testing.T) {
		if _, err := webhook.ParseTypes(nil); handoff.ErrorCode(err) != handoff.EINVALID {
			t.Errorf("err = %v, want EINVALID", err)
		}
	})
}

func TestSignMatchesTheScheme(t *testing.T) {
	t.Parallel()
	secret, err := webhook.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if !strings.HasPrefix(secret, "whsec_") || err != nil || len(key) != 32 {
		t.Fatalf("secret %q: want whsec_ and 32 base64 bytes (%v)", secret, err)
	}
	body := []byte(`{"type":"pack.submitted"}`)
	at := time.Now()
	h := http.Header{}
	if err := webhook.Sign(h, secret, "msg_1", at, body); err != nil {
		t.Fatal(err)
	}
	t.Run("TheLibraryVerifies", func(t *testing.T) {
		wh, _ := standardwebhooks.NewWebhook(secret)
		if err := wh.Verify(body, h); err != nil {
			t.Fatal(err)
		}
		if err := wh.Verify([]byte(`{"type":"pack.returned"}`), h); err == nil {
			t.Error("a changed body still verifies")
		}
	})
	t.Run("ByTheSpecByHand", func(t *testing.T) {
		mac := hmac.New(sha256.New, key)
		fmt.Fprintf(mac, "msg_1.%d.%s", at.Unix(), body)
		want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
		if h.Get("webhook-signature") != want || h.Get("webhook-id") != "msg_1" || h.Get("webhook-timestamp") != fmt.Sprint(at.Unix()) {
			t.Errorf("headers %v, want signature %s", h, want)
		}
	})
}

func TestGuardChecksEveryKindOfAddress(t *testing.T) {
	t.Parallel()
	refused := []string{"127.0.0.1", "127.9.9.9", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
		"0.0.0.0", "0.1.2.3", "100.64.0.1", "100.127.255.254", "224.0.0.1", "255.255.255.255", "240.0.0.1", "198.18.0.1",
		"::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "fec0::1",
		"::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a00:1", "2002:7f00:1::1"}
	public := []string{"8.8.8.8", "93.184.216.34", "100.63.255.255", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"}
	for _, s := range refused {
		ip := netip.MustParseAddr(s)
		if err := (webhook.Guard{}).Check(ip); err == nil {
			t.Errorf("%s admitted", s)
		}
		if err := (webhook.Guard{AllowPrivate: true}).Check(ip); err != nil {
			t.Errorf("%s refused though private addresses are allowed: %v", s, err)
		}
	}
	for _, s := range public {
		if err := (webhook.Guard{}).Check(netip.MustParseAddr(s)); err != nil {
			t.Errorf("%s refused: %v", s, err)
		}
	}
}

// resolver answers from a table, as a DNS server would.
type resolver map[string][]netip.Addr

func (r resolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := r[host]; ok {
		return a, nil
	}
	return nil, fmt.Errorf("lookup %s: no such host", host)
}

func TestCheckURLAtRegistration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dns := resolver{
		"hooks.example.com": {netip.MustParseAddr("93.184.216.34")},
		"internal.example":  {netip.MustParseAddr("93.184.216.34"), netip.MustParseAddr("10.0.0.7")},
	}
	for _, tc := range []struct{ url, want string }{
		{"", "Enter the address"},
		{"ftp://hooks.example.com/x", "starting with https://"},
		{"hooks.example.com/x", "starting with https://"},
		{"http://hooks.example.com/x", "Use an https:// address"},
		{"https://user:pw@hooks.example.com/x", "user name and password"},
		{"https://hooks.example.com/x#frag", "# part"},
		{"https://hooks.example.com/" + strings.Repeat("a", 2000), "under 2000"},
		{"https://127.0.0.1/hook", "127.0.0.1, a loopback address"},
		{"https://10.1.2.3/hook", "a private address"},
		{"https://169.254.169.254/latest/meta-data/", "link-local"},
		{"https://[::1]:8443/hook", "::1, a loopback address"},
		{"https://[::ffff:127.0.0.1]/hook", "127.0.0.1, a loopback address"},
		{"https://internal.example/hook", "10.0.0.7, a private address"},
		{"https://nowhere.invalid/hook", "could not find the host nowhere.invalid"},
		{"https://hooks.example.com:99999/hook", "not a port number"},
	} {
		_, err := (webhook.Guard{}).CheckURL(ctx, dns, tc.url)
		if msg := handoff.ErrorMessage(err); handoff.ErrorCode(err) != handoff.EINVALID || !strings.Contains(msg, tc.want) {
			t.Errorf("%.60q: %q, want EINVALID saying %q", tc.url, msg, tc.want)
		}
	}
	t.Run("ANameResolvingToLoopback", func(t *testing.T) {
		// The system's own resolver, as in production: localhost is 127.0.0.1 or ::1.
		_, err := (webhook.Guard{}).CheckURL(ctx, nil, "https://localhost/hook")
		if msg := handoff.ErrorMessage(err); !strings.Contains(msg, "loopback") {
			t.Errorf("localhost: %q", msg)
		}
	})
	t.Run("Accepted", func(t *testing.T) {
		if u, err := (webhook.Guard{}).CheckURL(ctx, dns, " https://hooks.example.com/in?token=x "); err != nil || u != "https://hooks.example.com/in?token=x" {
			t.Errorf("public https: %q, %v", u, err)
		}
		if _, err := (webhook.Guard{AllowPrivate: true}).CheckURL(ctx, nil, "http://127.0.0.1:8080/crm"); err != nil {
			t.Errorf("private allowed: %v", err)
		}
	})
}

func TestRegister(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	g := webhook.Guard{AllowPrivate: true}
	reg, err := g.Register(ctx, nil, webhook.Input{URL: "http://127.0.0.1:9/x", Events: []string{"pack.submitted"}, Description: " CRM "})
	if err != nil || reg.Kind != webhook.KindStandard || !strings.HasPrefix(reg.Secret, "whsec_") || reg.Description != "CRM" {
		t.Fatalf("standard: %+v, %v", reg, err)
	}
	if reg, err := g.Register(ctx, nil, webhook.Input{URL: "http://127.0.0.1:9/x", Kind: "slack", Events: []string{"pack.submitted"}}); err != nil || reg.Secret != "" {
		t.Errorf("slack: %+v, %v: a Slack endpoint gets no secret", reg, err)
	}
	_, err = (webhook.Guard{}).Register(ctx, nil, webhook.Input{URL: "http://127.0.0.1/x", Kind: "teams", Description: strings.Repeat("d", 101)})
	if f := handoff.InvalidFields(err); len(f) != 4 || f["url"] == "" || f["kind"] == "" || f["events"] == "" || f["description"] == "" {
		t.Errorf("every bad field at once: %v", f)
	}
}

func TestDisplayURLHidesWhatWorksLikeAPassword(t *testing.T) {
	t.Parallel()
	if got := webhook.DisplayURL(webhook.KindSlack, "https://hooks.slack.com/services/T01/B02/secretpart"); got != "https://hooks.slack.com/services/T01/B02/…" {
		t.Errorf("slack: %q", got)
	}
	if got := webhook.DisplayURL(webhook.KindStandard, "https://crm.example.com/hook?token=abc"); got != "https://crm.example.com/hook?…" {
		t.Errorf("standard: %q", got)
	}
}

// payload is a pack.submitted payload as OnEvent builds it.
func payload(t *testing.T, account string) []byte {
	t.Helper()
	due := "2026-11-30"
	se := "se"
	p := webhook.Payload{Type: webhook.PackSubmitted, Timestamp: time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC), Data: webhook.Data{
		Pack: &api.EventPack{ID: 7, URL: "https://handoff.example.com/packs/7", Status: "submitted", Version: 9, SubmittedVersion: 2,
			Deal: api.EventDeal{ID: 3, Deal: api.Deal{AccountName: account, OpportunityName: "Platform", Segment: "enterprise",
				ARR: api.Money{Amount: 12000000, Currency: "USD"}, SE: api.Person{ID: 1, Name: "Sam Engineer"}}},
			Clocks: []api.Clock{{Kind: "pack", Due: &due, State: "done_on_time"}, {Kind: "kickoff", Due: &due, State: "on_track", OwedBy: &se},
				{Kind: "lock", State: "not_started"}, {Kind: "first_value", State: "not_started"}, {Kind: "pod_review", State: "not_started"}}},
		Event: &webhook.Event{ID: 40, Kind: "submitted", Summary: "Submitted the pack as v2.", Actor: "Sam Engineer"},
	}}
	b, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSendDeliversSignedJSON(t *testing.T) {
	t.Parallel()
	rcv := webhooktest.NewReceiver(t)
	secret, _ := webhook.NewSecret()
	rcv.SetSecret(secret)
	rcv.Answer(http.StatusOK, strings.Repeat("é", 300)) // 600 bytes of two-byte characters
	s := webhook.NewSender(webhook.Guard{AllowPrivate: true}.Client(0))
	res := s.Send(context.Background(), webhook.Request{URL: rcv.URL + "/in", Kind: webhook.KindStandard, Secret: secret,
		MsgID: "msg_abc", Body: payload(t, "Acme"), At: time.Now()})
	if !res.Delivered() || res.Problem() != "" {
		t.Fatalf("result %+v: %s", res, res.Problem())
	}
	d := rcv.Wait(1, 5*time.Second)[0]
	if d.Problem != "" || d.Type != "pack.submitted" || d.Header.Get("webhook-id") != "msg_abc" {
		t.Errorf("receiver saw %q, type %q, id %q", d.Problem, d.Type, d.Header.Get("webhook-id"))
	}
	if len(res.Response) > webhook.ResponseBytes || res.Response != strings.Repeat("é", 100) {
		t.Errorf("kept %d bytes %q; want the first 200 bytes, whole characters", len(res.Response), res.Response)
	}
}

func TestSendRefusesPrivateAddressesAtConnect(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	t.Cleanup(srv.Close)
	s := webhook.NewSender(webhook.Guard{}.Client(0))
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	// A literal address, and a name that resolves to loopback: the dialer
	// checks the address it connects to, whatever the URL said.
	for _, u := range []string{srv.URL, "http://localhost" + port} {
		res := s.Send(context.Background(), webhook.Request{URL: u, Kind: webhook.KindSlack, Body: payload(t, "Acme"), At: time.Now()})
		if !res.Refused() || res.Status != 0 || !strings.Contains(res.Problem(), "loopback") {
			t.Errorf("%s: %+v (%s)", u, res, res.Problem())
		}
	}
	if hits.Load() != 0 {
		t.Errorf("the receiver was reached %d times", hits.Load())
	}
}

func TestSendDoesNotFollowRedirects(t *testing.T) {
	t.Parallel()
	var followed atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/elsewhere", func(http.ResponseWriter, *http.Request) { followed.Add(1) })
	mux.HandleFunc("/in", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	secret, _ := webhook.NewSecret()
	res := webhook.NewSender(webhook.Guard{AllowPrivate: true}.Client(0)).Send(context.Background(),
		webhook.Request{URL: srv.URL + "/in", Kind: webhook.KindStandard, Secret: secret, MsgID: "msg_1", Body: payload(t, "Acme"), At: time.Now()})
	if res.Status != http.StatusTemporaryRedirect || res.Delivered() || followed.Load() != 0 || !strings.Contains(res.Problem(), "redirects are not followed") {
		t.Errorf("result %+v (%s), followed %d", res, res.Problem(), followed.Load())
	}
}

func TestSendGivesUpOnASlowReceiver(t *testing.T) {
	t.Parallel()
	rcv := webhooktest.NewReceiver(t)
	secret, _ := webhook.NewSecret()
	rcv.SetSecret(secret)
	rcv.Delay(5 * time.Second)
	// The limit is injected short; production uses DefaultTimeout.
	if webhook.DefaultTimeout != 10*time.Second {
		t.Errorf("DefaultTimeout = %s, the documented limit is 10 s", webhook.DefaultTimeout)
	}
	start := time.Now()
	res := webhook.NewSender(webhook.Guard{AllowPrivate: true}.Client(300*time.Millisecond)).Send(context.Background(),
		webhook.Request{URL: rcv.URL, Kind: webhook.KindStandard, Secret: secret, MsgID: "msg_1", Body: payload(t, "Acme"), At: time.Now()})
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %s", took)
	}
	if res.Err == nil || res.Delivered() || !strings.Contains(res.Problem(), "No answer within 300ms") {
		t.Errorf("result %+v (%s)", res, res.Problem())
	}
}

func TestSlackGetsBlockKit(t *testing.T) {
	t.Parallel()
	slack := webhooktest.NewSlack(t)
	s := webhook.NewSender(webhook.Guard{AllowPrivate: true}.Client(0))
	res := s.Send(context.Background(), webhook.Request{URL: slack.URL(), Kind: webhook.KindSlack,
		Body: payload(t, "<!channel> Acme & Co"), At: time.Now()})
	if !res.Delivered() || res.Response != "ok" {
		t.Fatalf("result %+v (%s)", res, res.Problem())
	}
	m := slack.Wait(1, 5*time.Second)[0]
	if m.Problem != "" || m.Header.Get("webhook-signature") != "" {
		t.Fatalf("fake Slack: %q; signature header %q", m.Problem, m.Header.Get("webhook-signature"))
	}
	raw := string(m.Body)
	for _, want := range []string{"<https://handoff.example.com/packs/7|", "Submitted the pack as v2.", "By Sam Engineer", "&lt;!channel&gt; Acme &amp; Co"} {
		if !strings.Contains(raw, want) {
			t.Errorf("message lacks %q:\n%s", want, raw)
		}
	}
	if strings.Contains(raw, "<!channel>") {
		t.Error("a deal name pinged the channel")
	}
	t.Run("TestEvent", func(t *testing.T) {
		b, _ := webhook.TestPayload(time.Now()).Marshal()
		if res := s.Send(context.Background(), webhook.Request{URL: slack.URL(), Kind: webhook.KindSlack, Body: b, At: time.Now()}); !res.Delivered() {
			t.Errorf("test event: %+v (%s)", res, res.Problem())
		}
	})
}

func TestPayloadShape(t *testing.T) {
	t.Parallel()
	var p map[string]any
	if err := json.Unmarshal(payload(t, "Acme"), &p); err != nil {
		t.Fatal(err)
	}
	data := p["data"].(map[string]any)
	pack := data["pack"].(map[string]any)
	deal := pack["deal"].(map[string]any)
	if p["type"] != "pack.submitted" || p["timestamp"] != "2026-11-25T17:00:00Z" || pack["version"] == nil ||
		deal["account_name"] != "Acme" || deal["id"] == nil || len(pack["clocks"].([]any)) != 5 {
		t.Errorf("payload %v", p)
	}
	if _, ok := data["clock"]; ok {
		t.Error("clock is only for clock.overdue")
	}
}
