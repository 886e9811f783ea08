package postgres_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

// packWorld is a database with one pack of Sam's (SE) assigned to Alex (SA),
// and the people around it: Priya, another SE; Jordan, an SA not on it;
// Morgan, a manager.
type packWorld struct {
	db                               *postgres.DB
	pack                             int64
	sam, priya, alex, jordan, morgan *handoff.User
	question                         int64 // set by filled
}

var packNow = time.Date(2026, time.November, 25, 17, 0, 0, 0, time.UTC)

func newPackWorld(t *testing.T) *packWorld {
	t.Helper()
	ctx := context.Background()
	w := &packWorld{db: postgrestest.New(t)}
	user := func(name string, role handoff.Role) *handoff.User {
		t.Helper()
		u, err := w.db.CreateUser(ctx, postgres.NewUser{Email: strings.ToLower(name) + "@example.com", Name: name, Role: role})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	w.sam, w.priya = user("Sam", handoff.RoleSE), user("Priya", handoff.RoleSE)
	w.alex, w.jordan = user("Alex", handoff.RoleSA), user("Jordan", handoff.RoleSA)
	w.morgan = user("Morgan", handoff.RoleManager)
	due := func(context.Context, pgx.Tx) (postgres.DueFunc, error) {
		return func(cw time.Time, _ *time.Time) postgres.Dues {
			return postgres.Dues{PackDueOn: cw.AddDate(0, 0, 7), KickoffDueOn: cw.AddDate(0, 0, 14)}
		}, nil
	}
	var err error
	w.pack, err = w.db.CreateDeal(ctx, w.morgan, handoff.Deal{
		AccountName: "Acme", OpportunityName: "Platform", Segment: handoff.SegmentCommercial,
		ARR: handoff.Money{Minor: 10_000_000, Currency: "USD"}, ClosedWonOn: time.Date(2026, time.November, 2, 0, 0, 0, 0, time.UTC),
		SEID: w.sam.ID, SAID: w.alex.ID,
	}, due, packNow)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// exec runs SQL that sets a scene the transitions would take long to reach.
func (w *packWorld) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if _, err := w.db.Pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// filled gives the pack a row of every kind a pack has: a saved document, a
// submitted v1, a review with a question, a commitment decision, a comment
// and a reference architecture.
func (w *packWorld) filled(t *testing.T) *packWorld {
	t.Helper()
	w.exec(t, `INSERT INTO pack_documents (pack_id, kind, data, updated_at, updated_by) VALUES ($1, 'risks', '{}', $2, $3)`, w.pack, packNow, w.sam.ID)
	w.exec(t, `INSERT INTO pack_versions (pack_id, number, documents, submitted_at, submitted_by) VALUES ($1, 1, '{}', $2, $3)`, w.pack, packNow, w.sam.ID)
	w.exec(t, `UPDATE packs SET status = 'submitted', submitted_version = 1, version = 2, submitted_at = $2 WHERE id = $1`, w.pack, packNow)
	w.exec(t, `INSERT INTO document_reviews (pack_id, kind, version, decision, decided_by, decided_at) VALUES ($1, 'risks', 1, 'accepted_with_questions', $2, $3)`, w.pack, w.alex.ID, packNow)
	if err := w.db.Pool.QueryRow(context.Background(), `INSERT INTO review_questions (pack_id, kind, version, question, asked_by, asked_at)
		VALUES ($1, 'risks', 1, 'Who owns the rollback?', $2, $3) RETURNING id`, w.pack, w.alex.ID, packNow).Scan(&w.question); err != nil {
		t.Fatal(err)
	}
	w.exec(t, `INSERT INTO commitment_decisions (pack_id, commitment_id, fingerprint, approved, decided_by, decided_at) VALUES ($1, 'c1', 'fp', true, $2, $3)`, w.pack, w.alex.ID, packNow)
	w.exec(t, `INSERT INTO pack_comments (pack_id, author_id, at, body) VALUES ($1, $2, $3, 'Kickoff is on Monday.')`, w.pack, w.sam.ID, packNow)
	w.exec(t, `INSERT INTO reference_architectures (pack_id, data, updated_at, updated_by) VALUES ($1, '{"summary": "Two regions"}', $2, $3)`, w.pack, packNow, w.alex.ID)
	return w
}

func (w *packWorld) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := w.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM `+table+` WHERE pack_id = $1`, w.pack).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// packReads calls every read of a pack (or of its child rows) as actor.
func packReads(w *packWorld) map[string]func(actor *handoff.User) error {
	ctx := context.Background()
	return map[string]func(*handoff.User) error{
		"Pack":        func(a *handoff.User) error { _, err := w.db.Pack(ctx, a, w.pack); return err },
		"PackDetail":  func(a *handoff.User) error { _, err := w.db.PackDetail(ctx, a, w.pack, 1); return err },
		"PackForEdit": func(a *handoff.User) error { _, err := w.db.PackForEdit(ctx, a, w.pack); return err },
		"Documents":   func(a *handoff.User) error { _, _, err := w.db.Documents(ctx, a, w.pack); return err },
		"Versions":    func(a *handoff.User) error { _, err := w.db.Versions(ctx, a, w.pack); return err },
		"Version":     func(a *handoff.User) error { _, err := w.db.Version(ctx, a, w.pack, 1); return err },
		"Events":      func(a *handoff.User) error { _, err := w.db.Events(ctx, a, w.pack); return err },
		"Comments":    func(a *handoff.User) error { _, err := w.db.Comments(ctx, a, w.pack); return err },
		"Reviews":     func(a *handoff.User) error { _, err := w.db.Reviews(ctx, a, w.pack); return err },
		"Questions":   func(a *handoff.User) error { _, err := w.db.Questions(ctx, a, w.pack); return err },
		"CommitmentDecisions": func(a *handoff.User) error {
			_, err := w.db.CommitmentDecisions(ctx, a, w.pack)
			return err
		},
		"Architecture": func(a *handoff.User) error { _, _, err := w.db.Architecture(ctx, a, w.pack); return err },
		"Meeting":      func(a *handoff.User) error { _, err := w.db.Meeting(ctx, a, w.pack); return err },
		"PodReviews":   func(a *handoff.User) error { _, err := w.db.PodReviews(ctx, a, w.pack); return err },
	}
}

// packTransitions calls every change to a pack as actor.
func packTransitions(w *packWorld) map[string]func(actor *handoff.User) error {
	ctx := context.Background()
	return map[string]func(*handoff.User) error{
		"SaveDocument": func(a *handoff.User) error {
			_, err := w.db.SaveDocument(ctx, a, w.pack, 2, handoff.DocRisks, handoff.Documents{}, packNow)
			return err
		},
		"SubmitPack": func(a *handoff.User) error { _, err := w.db.SubmitPack(ctx, a, w.pack, 2, nil, packNow); return err },
		"ReviewDocument": func(a *handoff.User) error {
			return w.db.ReviewDocument(ctx, a, w.pack, 1, handoff.DocRisks, handoff.DecisionAccepted, "", nil, packNow)
		},
		"AnswerQuestion": func(a *handoff.User) error {
			return w.db.AnswerQuestion(ctx, a, w.pack, w.question, "Their ops team.", packNow)
		},
		"DecideCommitment": func(a *handoff.User) error { return w.db.DecideCommitment(ctx, a, w.pack, 1, "c1", true, "", packNow) },
		"Acknowledge": func(a *handoff.User) error {
			return w.db.Acknowledge(ctx, a, w.pack, 1, packNow.Truncate(24*time.Hour), packNow.AddDate(0, 0, 30), packNow.AddDate(0, 0, 90), packNow.Truncate(24*time.Hour), false, packNow)
		},
		"SaveArchitecture": func(a *handoff.User) error {
			return w.db.SaveArchitecture(ctx, a, w.pack, 2, handoff.Architecture{}, packNow)
		},
		"LockArchitecture": func(a *handoff.User) error {
			return w.db.LockArchitecture(ctx, a, w.pack, 2, packNow.Truncate(24*time.Hour), packNow)
		},
		"SaveAssessment": func(a *handoff.User) error {
			return w.db.SaveAssessment(ctx, a, w.pack, 2, handoff.Assessment{Stage: handoff.StageLock}, packNow, packNow)
		},
		"AddComment": func(a *handoff.User) error { return w.db.AddComment(ctx, a, w.pack, "Hello?", packNow) },
		"Assign":     func(a *handoff.User) error { return w.db.Assign(ctx, a, w.pack, w.priya.ID, w.jordan.ID, packNow) },
		"CorrectDeal": func(a *handoff.User) error {
			_, err := w.db.CorrectDeal(ctx, a, w.pack, "", handoff.Deal{}, nil, packNow)
			return err
		},
		"ScheduleKickoff": func(a *handoff.User) error {
			_, err := w.db.ScheduleKickoff(ctx, a, w.pack, postgres.NoMeeting, handoff.Meeting{StartsAt: packNow.AddDate(0, 0, 2), Minutes: 60, Place: "Room 4"}, time.UTC, packNow)
			return err
		},
		"CancelKickoff": func(a *handoff.User) error { return w.db.CancelKickoff(ctx, a, w.pack, 0, time.UTC, packNow) },
		"RecordFirstValue": func(a *handoff.User) error {
			_, err := w.db.RecordFirstValue(ctx, a, w.pack, packNow.Format(time.DateOnly), "Live", packNow.Truncate(24*time.Hour), packNow)
			return err
		},
		"MarkStrategic": func(a *handoff.User) error { return w.db.MarkStrategic(ctx, a, w.pack, true, packNow) },
		"RecordPodReview": func(a *handoff.User) error {
			_, err := w.db.RecordPodReview(ctx, a, w.pack, 2, handoff.PodReviewForm{}, packNow, packNow)
			return err
		},
	}
}

// TestEveryPackMethodIsCovered keeps the tables above complete: a new method
// taking an actor and a pack id must be listed, so the tests below prove it
// hides the pack from outsiders.
func TestEveryPackMethodIsCovered(t *testing.T) {
	t.Parallel()
	w := &packWorld{}
	reads, transitions := packReads(w), packTransitions(w)
	notPacks := map[string]bool{"SetUserActive": true} // (ctx, actor, user id, …)
	ctxType, actorType := reflect.TypeFor[context.Context](), reflect.TypeFor[*handoff.User]()
	dbType := reflect.TypeFor[*postgres.DB]()
	for i := range dbType.NumMethod() {
		m := dbType.Method(i)
		ft := m.Type // receiver first
		if ft.NumIn() < 4 || ft.In(1) != ctxType || ft.In(2) != actorType || ft.In(3).Kind() != reflect.Int64 || notPacks[m.Name] {
			continue
		}
		if ft.In(ft.NumIn()-1) == reflect.TypeFor[time.Time]() {
			if transitions[m.Name] == nil {
				t.Errorf("transition %s is not in packTransitions", m.Name)
			}
		} else if reads[m.Name] == nil {
			t.Errorf("read %s is not in packReads", m.Name)
		}
	}
}

func TestPackReadsAreNotFoundForOutsiders(t *testing.T) {
	t.Parallel()
	w := newPackWorld(t).filled(t)
	outsiders := map[string]*handoff.User{"OtherSE": w.priya, "UnassignedSA": w.jordan, "Nobody": nil,
		"InactiveSE": {ID: w.sam.ID, Role: handoff.RoleSE, Active: false}}
	for name, read := range packReads(w) {
		for who, actor := range outsiders {
			t.Run("ENOTFOUND/"+who+"/"+name, func(t *testing.T) {
				t.Parallel()
				err := read(actor)
				if code := handoff.ErrorCode(err); code != handoff.ENOTFOUND {
					t.Fatalf("%s as %s = %v (code %q), want %s", name, who, err, code, handoff.ENOTFOUND)
				}
				if msg := handoff.ErrorMessage(err); msg != "not found" {
					t.Errorf("message = %q: an outsider learns something about the pack", msg)
				}
			})
		}
		for who, actor := range map[string]*handoff.User{"OwnSE": w.sam, "AssignedSA": w.alex, "Manager": w.morgan} {
			t.Run("OK/"+who+"/"+name, func(t *testing.T) {
				t.Parallel()
				if err := read(actor); err != nil {
					t.Fatalf("%s as %s: %v", name, who, err)
				}
			})
		}
	}
}

func TestPackTransitionsAreNotFoundForOutsiders(t *testing.T) {
	t.Parallel()
	w := newPackWorld(t).filled(t)
	events := w.count(t, "pack_events")
	for name, change := range packTransitions(w) {
		for who, actor := range map[string]*handoff.User{"OtherSE": w.priya, "UnassignedSA": w.jordan, "Nobody": nil} {
			t.Run("ENOTFOUND/"+who+"/"+name, func(t *testing.T) {
				t.Parallel()
				if err := change(actor); handoff.ErrorCode(err) != handoff.ENOTFOUND {
					t.Fatalf("%s as %s = %v, want %s", name, who, err, handoff.ENOTFOUND)
				}
			})
		}
	}
	t.Cleanup(func() {
		if n := w.count(t, "pack_events"); n != events {
			t.Errorf("refused changes left %d event lines", n-events)
		}
	})
}

func TestPackDetailReadsEveryPart(t *testing.T) {
	t.Parallel()
	w := newPackWorld(t).filled(t)
	w.exec(t, `INSERT INTO pack_versions (pack_id, number, documents, submitted_at, submitted_by) VALUES ($1, 2, '{}', $2, $3), ($1, 3, '{}', $2, $3)`, w.pack, packNow, w.sam.ID)
	w.exec(t, `UPDATE packs SET submitted_version = 3 WHERE id = $1`, w.pack)
	d, err := w.db.PackDetail(context.Background(), w.alex, w.pack, 1)
	if err != nil {
		t.Fatal(err)
	}
	if d.Pack.ID != w.pack || d.Pack.Deal.SAID != w.alex.ID {
		t.Errorf("pack = %+v", d.Pack)
	}
	if d.DocumentMeta[handoff.DocRisks].UpdatedBy != "Sam" {
		t.Errorf("document meta = %+v", d.DocumentMeta)
	}
	if len(d.Versions) != 3 || d.Versions[0].Number != 3 {
		t.Errorf("versions = %+v, want v3, v2, v1", d.Versions)
	}
	if _, ok := d.Frozen[2]; ok || len(d.Frozen) != 2 {
		t.Errorf("frozen = %v, want v1 (asked for) and v3 (the latest) only", versionNumbers(d.Frozen))
	}
	if v, ok := d.Submitted(); !ok || v.Number != 3 {
		t.Errorf("submitted = v%d, %v; want v3", v.Number, ok)
	}
	if len(d.Events) != 1 || d.Events[0].Kind != handoff.EventCreated {
		t.Errorf("events = %+v", d.Events)
	}
	if len(d.Comments) != 1 || d.Comments[0].Author != "Sam" {
		t.Errorf("comments = %+v", d.Comments)
	}
	if d.Reviews[handoff.DocRisks].Decision != handoff.DecisionWithQuestions || len(d.Questions) != 1 {
		t.Errorf("reviews = %+v, questions = %+v", d.Reviews, d.Questions)
	}
	if !d.Decisions["c1"].Approved {
		t.Errorf("decisions = %+v", d.Decisions)
	}
	if d.Architecture.Summary != "Two regions" || d.ArchitectureMeta.UpdatedBy != "Alex" {
		t.Errorf("architecture = %+v by %q", d.Architecture, d.ArchitectureMeta.UpdatedBy)
	}

	t.Run("ENOTFOUNDVersionThatDoesNotExist", func(t *testing.T) {
		_, err := w.db.Version(context.Background(), w.alex, w.pack, 9)
		if handoff.ErrorCode(err) != handoff.ENOTFOUND {
			t.Errorf("v9 = %v", err)
		}
	})
	t.Run("PoolStaysUsableAfterARefusal", func(t *testing.T) {
		// A refused read ends its read-only transaction like any other.
		for range 20 {
			if _, err := w.db.PackDetail(context.Background(), w.priya, w.pack); handoff.ErrorCode(err) != handoff.ENOTFOUND {
				t.Fatal(err)
			}
		}
		if _, err := w.db.PackDetail(context.Background(), w.sam, w.pack); err != nil {
			t.Fatal(err)
		}
	})
}

func versionNumbers[V any](m map[int]V) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestTransitionWritesItsEventLine(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newPackWorld(t)
	v, err := w.db.SaveDocument(ctx, w.sam, w.pack, 1, handoff.DocRisks, handoff.Documents{}, packNow)
	if err != nil {
		t.Fatal(err)
	}
	if v != 2 {
		t.Errorf("version after the save = %d, want 2", v)
	}
	evs, err := w.db.Events(ctx, w.sam, w.pack)
	if err != nil {
		t.Fatal(err)
	}
	want := handoff.SectionSavedEvent(handoff.DocRisks)
	if len(evs) != 2 || evs[0].Kind != want.Kind || evs[0].Summary != want.Summary || evs[0].Actor != "Sam" || !evs[0].At.Equal(packNow) {
		t.Errorf("events = %+v, want %q by Sam on top", evs, want.Summary)
	}
	if evs[len(evs)-1].Summary != handoff.CreatedEvent(time.Date(2026, time.November, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, time.November, 9, 0, 0, 0, 0, time.UTC)).Summary {
		t.Errorf("created event = %q", evs[len(evs)-1].Summary)
	}
}

func TestRefusedTransitionWritesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("EINVALIDIncompleteSubmit", func(t *testing.T) {
		t.Parallel()
		w := newPackWorld(t)
		_, err := w.db.SubmitPack(ctx, w.sam, w.pack, 1, nil, packNow)
		if handoff.ErrorCode(err) != handoff.EINVALID {
			t.Fatalf("submit = %v, want %s", err, handoff.EINVALID)
		}
		if want := "postgres: submit pack "; !strings.HasPrefix(err.Error(), want) {
			t.Errorf("error = %q, want it to start %q", err, want)
		}
		if n, m := w.count(t, "pack_events"), w.count(t, "pack_versions"); n != 1 || m != 0 {
			t.Errorf("%d events and %d versions after a refused submit", n, m)
		}
	})
	t.Run("ErrStaleSave", func(t *testing.T) {
		t.Parallel()
		w := newPackWorld(t)
		_, err := w.db.SaveDocument(ctx, w.sam, w.pack, 7, handoff.DocRisks, handoff.Documents{}, packNow)
		if !errors.Is(err, postgres.ErrStale) || handoff.ErrorCode(err) != handoff.ECONFLICT {
			t.Fatalf("save from an old form = %v, want ErrStale, %s", err, handoff.ECONFLICT)
		}
		if n, m := w.count(t, "pack_events"), w.count(t, "pack_documents"); n != 1 || m != 0 {
			t.Errorf("%d events and %d documents after a stale save", n, m)
		}
	})
	t.Run("ECONFLICTSubmitTwiceNamesTheVersion", func(t *testing.T) {
		t.Parallel()
		w := newPackWorld(t).filled(t)
		_, err := w.db.SubmitPack(ctx, w.sam, w.pack, 2, nil, packNow)
		if handoff.ErrorCode(err) != handoff.ECONFLICT || !strings.Contains(handoff.ErrorMessage(err), "already submitted (v1)") {
			t.Fatalf("second submit = %v", err)
		}
	})
	t.Run("EFORBIDDENReviewBySE", func(t *testing.T) {
		t.Parallel()
		w := newPackWorld(t).filled(t)
		before := w.count(t, "pack_events")
		err := w.db.ReviewDocument(ctx, w.sam, w.pack, 1, handoff.DocRisks, handoff.DecisionAccepted, "", nil, packNow)
		if handoff.ErrorCode(err) != handoff.EFORBIDDEN {
			t.Fatalf("SE reviewing = %v, want %s", err, handoff.EFORBIDDEN)
		}
		if n := w.count(t, "pack_events"); n != before {
			t.Errorf("a refused review left %d event lines", n-before)
		}
	})
}

func TestCommentWritesNoEventLine(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newPackWorld(t)
	if err := w.db.AddComment(ctx, w.alex, w.pack, "Who is the champion?", packNow); err != nil {
		t.Fatal(err)
	}
	if n, m := w.count(t, "pack_comments"), w.count(t, "pack_events"); n != 1 || m != 1 {
		t.Errorf("%d comments and %d events, want the comment and only the created event", n, m)
	}
}

func TestAssignChecksThePeopleInTheTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newPackWorld(t)
	events := func() int { return w.count(t, "pack_events") }

	t.Run("NoChangeNoEvent", func(t *testing.T) {
		if err := w.db.Assign(ctx, w.morgan, w.pack, w.sam.ID, w.alex.ID, packNow); err != nil || events() != 1 {
			t.Fatalf("unchanged assignment = %v, %d events", err, events())
		}
	})
	t.Run("EINVALIDSEAsSA", func(t *testing.T) {
		if err := w.db.Assign(ctx, w.morgan, w.pack, w.sam.ID, w.priya.ID, packNow); handoff.ErrorCode(err) != handoff.EINVALID {
			t.Fatalf("an SE named as SA = %v, want %s", err, handoff.EINVALID)
		}
	})
	t.Run("EINVALIDInactiveSA", func(t *testing.T) {
		w.exec(t, `UPDATE users SET active = false WHERE id = $1`, w.jordan.ID)
		defer w.exec(t, `UPDATE users SET active = true WHERE id = $1`, w.jordan.ID)
		if err := w.db.Assign(ctx, w.morgan, w.pack, w.sam.ID, w.jordan.ID, packNow); handoff.ErrorCode(err) != handoff.EINVALID {
			t.Fatalf("an inactive SA = %v, want %s", err, handoff.EINVALID)
		}
		if events() != 1 {
			t.Errorf("a refused assignment left an event line")
		}
	})
	t.Run("ReassignedEvent", func(t *testing.T) {
		if err := w.db.Assign(ctx, w.morgan, w.pack, w.priya.ID, 0, packNow); err != nil {
			t.Fatal(err)
		}
		evs, err := w.db.Events(ctx, w.morgan, w.pack)
		if err != nil {
			t.Fatal(err)
		}
		if want := handoff.ReassignedEvent([]string{"SE Sam → Priya", "SA Alex → nobody"}); evs[0].Kind != want.Kind || evs[0].Summary != want.Summary {
			t.Errorf("event = %+v, want %q", evs[0], want.Summary)
		}
		if _, err := w.db.Pack(ctx, w.sam, w.pack); handoff.ErrorCode(err) != handoff.ENOTFOUND {
			t.Errorf("Sam still sees the pack after it moved to Priya: %v", err)
		}
	})
}
