package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/handoff"
)

// Reading a pack. Every read of a pack's child rows goes through the pack as
// the actor may see it (CONVENTIONS rule 2): PackDetail reads the pack and
// its child rows in one round trip, the pack first, and collects nothing
// else when the pack is not the actor's to see. The child-row reads below
// are unexported; transitions run them on the row they locked.

// PackDetail is a pack with everything its pages show.
type PackDetail struct {
	Pack *handoff.Pack
	// Documents are the SE's working copy, DocumentMeta who last saved each.
	Documents    handoff.Documents
	DocumentMeta map[handoff.DocKind]handoff.Document
	// Versions are the frozen submissions, newest first, without their
	// documents; Frozen has, with their documents, the latest one (see
	// Submitted) and those PackDetail was asked for.
	Versions  []handoff.Version
	Frozen    map[int]handoff.Version
	Events    []handoff.Event   // newest first, 500 at most
	Comments  []handoff.Comment // newest first, 500 at most
	Reviews   map[handoff.DocKind]handoff.Review
	Questions []handoff.Question // oldest first
	Decisions map[string]handoff.CommitmentDecision
	Replies   []handoff.ReturnReply // the SE's replies to returned documents, oldest version first
	// Architecture is the reference architecture (empty before the first
	// save), ArchitectureMeta who saved it last.
	Architecture     handoff.Architecture
	ArchitectureMeta handoff.Document
	// Assessments are the SA's accuracy assessments, by stage.
	Assessments map[string]handoff.Assessment
	// Meeting is the kickoff meeting (meeting.go), nil when none was scheduled.
	Meeting *handoff.Meeting
}

// Matrix is the pack's closure matrix: as frozen at the lock, or the
// accepted version's rows with the closures saved so far (empty before the
// first submission).
func (d *PackDetail) Matrix() handoff.Matrix {
	v, _ := d.Submitted()
	return d.Architecture.Matrix(v.Documents, d.Decisions)
}

// Submitted is the latest submission with its documents; ok is false before
// the first.
func (d *PackDetail) Submitted() (v handoff.Version, ok bool) {
	v, ok = d.Frozen[d.Pack.SubmittedVersion]
	return v, ok
}

// PackDetail returns pack id with its documents, versions, history,
// conversation, reviews, questions, commitment decisions, replies to returns,
// reference architecture and accuracy assessments, if actor may see it, else
// a not-found error; versions are the numbers of frozen versions to read with
// their documents besides the latest one (a number that does not exist is left
// out of Frozen). It takes one round trip and reads one snapshot, so the parts
// agree with each other. Its Pack.FirstValue, once recorded, names who
// recorded it: the pack row holds only their id, and the lists that read the
// same columns never show the name, so only this read joins it.
func (db *DB) PackDetail(ctx context.Context, actor *handoff.User, id int64, versions ...int) (*PackDetail, error) {
	d := &PackDetail{}
	var docs storedDocuments
	var arch storedArchitecture
	var frozen []handoff.Version
	var firstValueBy string
	p, err := db.readPack(ctx, actor, id, func(b *pgx.Batch) {
		readDocuments.queue(b, into(&docs), id)
		readVersions.queue(b, into(&d.Versions), id)
		readFrozen.queue(b, into(&frozen), id, versions)
		readEvents.queue(b, into(&d.Events), id)
		readComments.queue(b, into(&d.Comments), id)
		readReviews.queue(b, into(&d.Reviews), id)
		readQuestions.queue(b, into(&d.Questions), id)
		readDecisions.queue(b, into(&d.Decisions), id)
		readReplies.queue(b, into(&d.Replies), id)
		readArchitecture.queue(b, into(&arch), id)
		readAssessments.queue(b, into(&d.Assessments), id)
		readMeeting.queue(b, into(&d.Meeting), id)
		readFirstValueBy.queue(b, into(&firstValueBy), id)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: detail of pack %d: %w", id, err)
	}
	d.Pack, d.Documents, d.DocumentMeta = p, docs.docs, docs.meta
	if p.FirstValue != nil {
		p.FirstValue.RecordedBy = firstValueBy
	}
	d.Architecture, d.ArchitectureMeta = arch.a, arch.meta
	d.Frozen = make(map[int]handoff.Version, len(frozen))
	for _, v := range frozen {
		d.Frozen[v.Number] = v
	}
	return d, nil
}

// EditedPack is a pack with what saving one of its documents needs.
type EditedPack struct {
	Pack *handoff.Pack
	// Documents are the SE's working copy, DocumentMeta who last saved each.
	Documents    handoff.Documents
	DocumentMeta map[handoff.DocKind]handoff.Document
	Reviews      map[handoff.DocKind]handoff.Review
}

// PackForEdit returns pack id with its working documents and the SA's
// reviews, if actor may see it, else a not-found error, in one round trip
// and one snapshot. A save needs no more, and a draft saved all day grows a
// long history that PackDetail would read on every save (a sixth of a save's
// server time in the bench).
func (db *DB) PackForEdit(ctx context.Context, actor *handoff.User, id int64) (*EditedPack, error) {
	e := &EditedPack{}
	var docs storedDocuments
	p, err := db.readPack(ctx, actor, id, func(b *pgx.Batch) {
		readDocuments.queue(b, into(&docs), id)
		readReviews.queue(b, into(&e.Reviews), id)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: pack %d for editing: %w", id, err)
	}
	e.Pack, e.Documents, e.DocumentMeta = p, docs.docs, docs.meta
	return e, nil
}

// The reads of one part of a pack, for whoever needs only that part: each
// reads the pack as actor may see it and the part, in one round trip, and is
// not found when actor may not see the pack.

// Documents returns the documents of pack packID as they stand and who last
// saved each.
func (db *DB) Documents(ctx context.Context, actor *handoff.User, packID int64) (handoff.Documents, map[handoff.DocKind]handoff.Document, error) {
	s, err := readPart(ctx, db, actor, "documents", packID, readDocuments)
	return s.docs, s.meta, err
}

// Versions lists pack packID's frozen submissions, newest first, without
// their documents.
func (db *DB) Versions(ctx context.Context, actor *handoff.User, packID int64) ([]handoff.Version, error) {
	return readPart(ctx, db, actor, "versions", packID, readVersions)
}

// Version returns frozen version number of pack packID with its documents,
// or a not-found error when there is no such version.
func (db *DB) Version(ctx context.Context, actor *handoff.User, packID int64, number int) (handoff.Version, error) {
	vs, err := readPart(ctx, db, actor, fmt.Sprintf("version %d", number), packID, readFrozen, []int{number})
	if err != nil {
		return handoff.Version{Number: number}, err
	}
	for _, v := range vs { // the latest comes too
		if v.Number == number {
			return v, nil
		}
	}
	return handoff.Version{Number: number}, fmt.Errorf("postgres: version %d of pack %d: %w", number, packID, notFound())
}

// Events returns pack packID's history, newest first (500 at most).
func (db *DB) Events(ctx context.Context, actor *handoff.User, packID int64) ([]handoff.Event, error) {
	return readPart(ctx, db, actor, "events", packID, readEvents)
}

// Comments returns pack packID's conversation, newest first (500 at most).
func (db *DB) Comments(ctx context.Context, actor *handoff.User, packID int64) ([]handoff.Comment, error) {
	return readPart(ctx, db, actor, "comments", packID, readComments)
}

// Reviews returns the SA's standing decision on each document of pack
// packID.
func (db *DB) Reviews(ctx context.Context, actor *handoff.User, packID int64) (map[handoff.DocKind]handoff.Review, error) {
	return readPart(ctx, db, actor, "reviews", packID, readReviews)
}

// Questions returns every question asked on pack packID, oldest first.
func (db *DB) Questions(ctx context.Context, actor *handoff.User, packID int64) ([]handoff.Question, error) {
	return readPart(ctx, db, actor, "questions", packID, readQuestions)
}

// CommitmentDecisions returns the SA's decisions on pack packID's big
// commitments, keyed by commitment id.
func (db *DB) CommitmentDecisions(ctx context.Context, actor *handoff.User, packID int64) (map[string]handoff.CommitmentDecision, error) {
	return readPart(ctx, db, actor, "commitment decisions", packID, readDecisions)
}

// Architecture returns pack packID's reference architecture (empty when none
// yet) and who last saved it.
func (db *DB) Architecture(ctx context.Context, actor *handoff.User, packID int64) (handoff.Architecture, handoff.Document, error) {
	s, err := readPart(ctx, db, actor, "architecture", packID, readArchitecture)
	return s.a, s.meta, err
}

// readPart reads the part r of pack packID (what names it in errors) for
// actor.
func readPart[T any](ctx context.Context, db *DB, actor *handoff.User, what string, packID int64, r read[T], more ...any) (T, error) {
	var v T
	_, err := db.readPack(ctx, actor, packID, func(b *pgx.Batch) {
		r.queue(b, into(&v), append([]any{packID}, more...)...)
	})
	if err != nil {
		var zero T
		return zero, fmt.Errorf("postgres: %s of pack %d: %w", what, packID, err)
	}
	return v, nil
}

// readPack reads pack id as actor may see it, then the child reads more
// queues, in one round trip and one read-only snapshot. When the pack is not
// actor's to see, the answer is not found and no child row is collected.
func (db *DB) readPack(ctx context.Context, actor *handoff.User, id int64, more func(*pgx.Batch)) (*handoff.Pack, error) {
	all, me := visibleArgs(actor)
	var p *handoff.Pack
	b := &pgx.Batch{}
	// An error after BEGIN leaves the connection in a failed transaction,
	// which the pool discards rather than reuse.
	b.Queue(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`)
	visiblePack(actor, false).queue(b, into(&p), id, all, me)
	more(b)
	b.Queue(`COMMIT`)
	if err := db.Pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, err
	}
	return p, nil
}

// A read is one query and how to collect its rows, so a transition (on its
// transaction) and readPack (in its batch) share the SQL.
type read[T any] struct {
	sql     string
	collect func(pgx.Rows) (T, error)
}

// run runs r on q.
func (r read[T]) run(ctx context.Context, q Querier, args ...any) (T, error) {
	rows, err := q.Query(ctx, r.sql, args...)
	if err != nil {
		var zero T
		return zero, err
	}
	return r.collect(rows)
}

// queue adds r to b; set receives what it collects.
func (r read[T]) queue(b *pgx.Batch, set func(T), args ...any) {
	b.Queue(r.sql, args...).Query(func(rows pgx.Rows) error {
		v, err := r.collect(rows)
		if err == nil {
			set(v)
		}
		return err
	})
}

// into is a setter storing into p.
func into[T any](p *T) func(T) { return func(v T) { *p = v } }

// visiblePack is pack $1 if the actor ($2 sees all, else $3 is its SE or SA)
// may see it, checked again with handoff.CanSeePack; locked for update when
// lock is set.
func visiblePack(actor *handoff.User, lock bool) read[*handoff.Pack] {
	sql := `SELECT ` + packColumns + packFrom + ` WHERE p.id = $1` + packVisible
	if lock {
		sql += ` FOR UPDATE OF p`
	}
	return read[*handoff.Pack]{sql, func(rows pgx.Rows) (*handoff.Pack, error) {
		r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[packRow])
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, notFound()
		}
		if err != nil {
			return nil, err
		}
		p := r.pack()
		if !handoff.CanSeePack(actor, p) {
			return nil, notFound()
		}
		return p, nil
	}}
}

// packVisibleTo reads pack id for actor on q (locked when lock is set).
func packVisibleTo(ctx context.Context, q Querier, actor *handoff.User, id int64, lock bool) (*handoff.Pack, error) {
	all, me := visibleArgs(actor)
	return visiblePack(actor, lock).run(ctx, q, id, all, me)
}

// storedDocuments are a pack's documents and who last saved each.
type storedDocuments struct {
	docs handoff.Documents
	meta map[handoff.DocKind]handoff.Document
}

var readDocuments = read[storedDocuments]{`
	SELECT pd.kind, pd.data, pd.updated_at, coalesce(u.name, '')
	FROM pack_documents pd LEFT JOIN users u ON u.id = pd.updated_by
	WHERE pd.pack_id = $1`,
	func(rows pgx.Rows) (storedDocuments, error) {
		defer rows.Close()
		s := storedDocuments{meta: map[handoff.DocKind]handoff.Document{}}
		for rows.Next() {
			var (
				kind string
				data []byte
				m    handoff.Document
			)
			if err := rows.Scan(&kind, &data, &m.UpdatedAt, &m.UpdatedBy); err != nil {
				return s, err
			}
			m.Kind = handoff.DocKind(kind)
			s.meta[m.Kind] = m
			if err := unmarshalDocument(&s.docs, m.Kind, data); err != nil {
				return s, err
			}
		}
		return s, rows.Err()
	}}

// documents reads a pack's documents on q.
func documents(ctx context.Context, q Querier, packID int64) (handoff.Documents, map[handoff.DocKind]handoff.Document, error) {
	s, err := readDocuments.run(ctx, q, packID)
	return s.docs, s.meta, err
}

// readVersions lists a pack's frozen submissions, newest first, without
// their documents.
var readVersions = read[[]handoff.Version]{`
	SELECT v.number, v.submitted_at, u.name
	FROM pack_versions v JOIN users u ON u.id = v.submitted_by
	WHERE v.pack_id = $1 ORDER BY v.number DESC`,
	func(rows pgx.Rows) ([]handoff.Version, error) {
		return pgx.CollectRows(rows, func(row pgx.CollectableRow) (handoff.Version, error) {
			var v handoff.Version
			err := row.Scan(&v.Number, &v.SubmittedAt, &v.SubmittedBy)
			return v, err
		})
	}}

// readFrozen reads, with their documents, the versions of pack $1 numbered
// in $2 and its latest one.
var readFrozen = read[[]handoff.Version]{`
	SELECT v.number, v.documents, v.submitted_at, u.name
	FROM pack_versions v JOIN users u ON u.id = v.submitted_by
	WHERE v.pack_id = $1
	  AND (v.number = ANY($2::integer[]) OR v.number = (SELECT p.submitted_version FROM packs p WHERE p.id = $1))`,
	func(rows pgx.Rows) ([]handoff.Version, error) {
		return pgx.CollectRows(rows, func(row pgx.CollectableRow) (handoff.Version, error) {
			var v handoff.Version
			var data []byte
			if err := row.Scan(&v.Number, &data, &v.SubmittedAt, &v.SubmittedBy); err != nil {
				return v, err
			}
			if err := json.Unmarshal(data, &v.Documents); err != nil {
				return v, fmt.Errorf("decode v%d: %w", v.Number, err)
			}
			return v, nil
		})
	}}

// latestVersionDocs reads the documents of the pack's latest submission.
func latestVersionDocs(ctx context.Context, q Querier, p *handoff.Pack) (handoff.Documents, error) {
	var docs handoff.Documents
	var data []byte
	err := q.QueryRow(ctx, `SELECT documents FROM pack_versions WHERE pack_id = $1 AND number = $2`, p.ID, p.SubmittedVersion).Scan(&data)
	if err != nil {
		return docs, err
	}
	return docs, json.Unmarshal(data, &docs)
}

// readEvents is a pack's history, newest first.
var readEvents = read[[]handoff.Event]{`
	SELECT e.id, e.at, coalesce(u.name, ''), e.kind, e.summary
	FROM pack_events e LEFT JOIN users u ON u.id = e.actor_id
	WHERE e.pack_id = $1 ORDER BY e.id DESC LIMIT 500`,
	func(rows pgx.Rows) ([]handoff.Event, error) {
		return pgx.CollectRows(rows, func(row pgx.CollectableRow) (handoff.Event, error) {
			var e handoff.Event
			err := row.Scan(&e.ID, &e.At, &e.Actor, &e.Kind, &e.Summary)
			return e, err
		})
	}}

// readComments is a pack's conversation, newest first.
var readComments = read[[]handoff.Comment]{`
	SELECT c.id, c.at, u.name, c.body FROM pack_comments c JOIN users u ON u.id = c.author_id
	WHERE c.pack_id = $1 ORDER BY c.id DESC LIMIT 500`,
	func(rows pgx.Rows) ([]handoff.Comment, error) {
		return pgx.CollectRows(rows, func(row pgx.CollectableRow) (handoff.Comment, error) {
			var c handoff.Comment
			err := row.Scan(&c.ID, &c.At, &c.Author, &c.Body)
			return c, err
		})
	}}

// readReviews is the SA's standing decision on each document.
var readReviews = read[map[handoff.DocKind]handoff.Review]{`
	SELECT r.kind, r.version, r.decision, r.reason, u.name, r.decided_at
	FROM document_reviews r JOIN users u ON u.id = r.decided_by
	WHERE r.pack_id = $1`,
	func(rows pgx.Rows) (map[handoff.DocKind]handoff.Review, error) {
		defer rows.Close()
		out := map[handoff.DocKind]handoff.Review{}
		for rows.Next() {
			var r handoff.Review
			var kind, decision string
			if err := rows.Scan(&kind, &r.Version, &decision, &r.Reason, &r.DecidedBy, &r.DecidedAt); err != nil {
				return nil, err
			}
			r.Kind, r.Decision = handoff.DocKind(kind), handoff.Decision(decision)
			out[r.Kind] = r
		}
		return out, rows.Err()
	}}

// reviews reads a pack's reviews on q.
func reviews(ctx context.Context, q Querier, packID int64) (map[handoff.DocKind]handoff.Review, error) {
	return readReviews.run(ctx, q, packID)
}

// readQuestions is every question asked on a pack, oldest first.
var readQuestions = read[[]handoff.Question]{`
	SELECT q.id, q.kind, q.version, q.question, a.name, q.asked_at, q.answer, coalesce(s.name, ''), q.answered_at
	FROM review_questions q JOIN users a ON a.id = q.asked_by LEFT JOIN users s ON s.id = q.answered_by
	WHERE q.pack_id = $1 ORDER BY q.id`,
	func(rows pgx.Rows) ([]handoff.Question, error) {
		return pgx.CollectRows(rows, func(row pgx.CollectableRow) (handoff.Question, error) {
			var q handoff.Question
			var kind string
			err := row.Scan(&q.ID, &kind, &q.Version, &q.Text, &q.AskedBy, &q.AskedAt, &q.Answer, &q.AnsweredBy, &q.AnsweredAt)
			q.Kind = handoff.DocKind(kind)
			return q, err
		})
	}}

// readDecisions is the SA's commitment decisions keyed by commitment id.
var readDecisions = read[map[string]handoff.CommitmentDecision]{`
	SELECT d.commitment_id, d.fingerprint, d.approved, d.reason, u.name, d.decided_at
	FROM commitment_decisions d JOIN users u ON u.id = d.decided_by WHERE d.pack_id = $1`,
	func(rows pgx.Rows) (map[string]handoff.CommitmentDecision, error) {
		defer rows.Close()
		out := map[string]handoff.CommitmentDecision{}
		for rows.Next() {
			var d handoff.CommitmentDecision
			if err := rows.Scan(&d.CommitmentID, &d.Fingerprint, &d.Approved, &d.Reason, &d.DecidedBy, &d.DecidedAt); err != nil {
				return nil, err
			}
			out[d.CommitmentID] = d
		}
		return out, rows.Err()
	}}

// commitmentDecisions reads a pack's commitment decisions on q.
func commitmentDecisions(ctx context.Context, q Querier, packID int64) (map[string]handoff.CommitmentDecision, error) {
	return readDecisions.run(ctx, q, packID)
}

// readFirstValueBy is the name of whoever recorded the pack's first value
// (its latest correction); "" when nobody has.
var readFirstValueBy = read[string]{`
	SELECT u.name FROM packs p JOIN users u ON u.id = p.first_value_recorded_by WHERE p.id = $1`,
	func(rows pgx.Rows) (string, error) {
		defer rows.Close()
		var name string
		for rows.Next() {
			if err := rows.Scan(&name); err != nil {
				return "", err
			}
		}
		return name, rows.Err()
	}}

// storedArchitecture is a pack's reference architecture and who last saved
// it; both zero before the first save.
type storedArchitecture struct {
	a    handoff.Architecture
	meta handoff.Document
}

var readArchitecture = read[storedArchitecture]{`
	SELECT ra.data, ra.updated_at, u.name FROM reference_architectures ra JOIN users u ON u.id = ra.updated_by
	WHERE ra.pack_id = $1`,
	func(rows pgx.Rows) (storedArchitecture, error) {
		defer rows.Close()
		var s storedArchitecture
		for rows.Next() {
			var data []byte
			if err := rows.Scan(&data, &s.meta.UpdatedAt, &s.meta.UpdatedBy); err != nil {
				return s, err
			}
			if err := json.Unmarshal(data, &s.a); err != nil {
				return s, fmt.Errorf("decode architecture: %w", err)
			}
		}
		return s, rows.Err()
	}}
