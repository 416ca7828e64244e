package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zhuguan/zhuguan/auth"
)

// Nature is a position's nature (岗位性质).
type Nature string

// The two natures: long-term lasts more than a month, temporary is one or a few tasks.
const (
	NatureLongTerm  Nature = "LONG_TERM"
	NatureTemporary Nature = "TEMPORARY"
)

// AllNatures lists the natures in the schema's order.
var AllNatures = []Nature{NatureLongTerm, NatureTemporary}

// Valid reports whether n is a known nature.
func (n Nature) Valid() bool { return slices.Contains(AllNatures, n) }

var natureLabels = map[Nature][2]string{NatureLongTerm: {"长期", "Long-term"}, NatureTemporary: {"临时", "Temporary"}}

// LabelIn is the display label of n in the caller's language (长期, 临时).
func (n Nature) LabelIn(ctx context.Context) string { return natureLabels[n][localeOf(ctx)] }

// DutyCategory is the kind of work a position is (工作类别).
type DutyCategory string

// The duty categories of SPEC.md: administrative work, writing, data work and analysis, event
// planning, photo and video, poster design, social-media operation, and anything else.
const (
	DutyAdministrative DutyCategory = "ADMINISTRATIVE"
	DutyWriting        DutyCategory = "WRITING"
	DutyDataAnalysis   DutyCategory = "DATA_ANALYSIS"
	DutyEventPlanning  DutyCategory = "EVENT_PLANNING"
	DutyPhotoVideo     DutyCategory = "PHOTO_VIDEO"
	DutyPosterDesign   DutyCategory = "POSTER_DESIGN"
	DutySocialMedia    DutyCategory = "SOCIAL_MEDIA"
	DutyOther          DutyCategory = "OTHER"
)

// AllDutyCategories lists the categories in the schema's order.
var AllDutyCategories = []DutyCategory{DutyAdministrative, DutyWriting, DutyDataAnalysis, DutyEventPlanning,
	DutyPhotoVideo, DutyPosterDesign, DutySocialMedia, DutyOther}

// Valid reports whether c is a known category.
func (c DutyCategory) Valid() bool { return slices.Contains(AllDutyCategories, c) }

var dutyCategoryLabels = map[DutyCategory][2]string{
	DutyAdministrative: {"事务性工作", "Administrative"}, DutyWriting: {"文稿撰写", "Writing"},
	DutyDataAnalysis: {"数据整理与分析", "Data analysis"}, DutyEventPlanning: {"活动策划", "Event planning"},
	DutyPhotoVideo: {"摄影摄像", "Photo and video"}, DutyPosterDesign: {"海报制作", "Poster design"},
	DutySocialMedia: {"微信平台运营", "Social media"}, DutyOther: {"其他", "Other"},
}

// LabelIn is the display label of c in the caller's language, in the seed's words (事务性工作,
// 文稿撰写, ...).
func (c DutyCategory) LabelIn(ctx context.Context) string {
	return dutyCategoryLabels[c][localeOf(ctx)]
}

// PositionStatus is a position's place in DRAFT -> (PENDING_REVIEW ->) PUBLISHED -> CLOSED.
type PositionStatus string

// The statuses: a DRAFT is seen only by its unit and admin; a PENDING_REVIEW position waits for
// the graduate school's review (设岗审核) in a year that needs it, seen like a DRAFT and not
// editable; a PUBLISHED position is listed to students and takes applications inside its window;
// a CLOSED one takes none and is hidden from students again, while its applications and
// employments go on.
const (
	PositionDraft         PositionStatus = "DRAFT"
	PositionPendingReview PositionStatus = "PENDING_REVIEW"
	PositionPublished     PositionStatus = "PUBLISHED"
	PositionClosed        PositionStatus = "CLOSED"
)

// AllPositionStatuses lists the statuses in the schema's order.
var AllPositionStatuses = []PositionStatus{PositionDraft, PositionPendingReview, PositionPublished, PositionClosed}

// PublishedStatuses are those of a position that has been published (it has its PublishedAt).
// A position in any other status has never been shown to students: it does not exist for them.
var PublishedStatuses = []PositionStatus{PositionPublished, PositionClosed}

// ListedToStudents are the statuses of the positions students see and list.
var ListedToStudents = []PositionStatus{PositionPublished}

// OpenStatuses are those of a position that takes applications while its window is open.
var OpenStatuses = []PositionStatus{PositionPublished}

// Valid reports whether s is a known status.
func (s PositionStatus) Valid() bool { return slices.Contains(AllPositionStatuses, s) }

// PositionAction is an action of the position state machine; its zhLabels entry names it.
type PositionAction string

// The actions on a position: a unit (or admin) publishes a DRAFT, closes a PUBLISHED one, edits
// either, and submits a DRAFT for review; admin approves or returns a submitted one.
const (
	ActionPublish PositionAction = "publish"
	ActionClose   PositionAction = "close"
	ActionEdit    PositionAction = "edit"
	ActionSubmit  PositionAction = "submit"
	ActionApprove PositionAction = "approve"
	ActionReturn  PositionAction = "return"
)

// PositionMachine is the position state machine: a unit publishes a DRAFT and closes a PUBLISHED
// position; both may be edited, a CLOSED one may not. In a year whose positions need approval the
// unit submits a DRAFT instead of publishing it, and admin approves it (PUBLISHED) or returns it
// (DRAFT again); publishRules and submitRules say which way a year takes.
var PositionMachine = Machine[PositionStatus, PositionAction]{Arrows: []Arrow[PositionStatus, PositionAction]{
	{Action: ActionPublish, From: PositionDraft, To: PositionPublished, By: auth.RoleUnitStaff},
	{Action: ActionClose, From: PositionPublished, To: PositionClosed, By: auth.RoleUnitStaff},
	{Action: ActionSubmit, From: PositionDraft, To: PositionPendingReview, By: auth.RoleUnitStaff},
	{Action: ActionApprove, From: PositionPendingReview, To: PositionPublished, By: auth.RoleAdmin},
	{Action: ActionReturn, From: PositionPendingReview, To: PositionDraft, By: auth.RoleAdmin},
	{Action: ActionEdit, From: PositionDraft, To: PositionDraft, By: auth.RoleUnitStaff},
	{Action: ActionEdit, From: PositionPublished, To: PositionPublished, By: auth.RoleUnitStaff},
}}

// PositionEvent is one line of a position's status history.
type PositionEvent = StatusEvent[PositionStatus]

// Position is a job a unit offers (岗位).
type Position struct {
	ID                  int64          `db:"id"`
	UnitID              int64          `db:"unit_id"`
	Title               string         `db:"title"`
	Description         string         `db:"description"`
	Nature              Nature         `db:"nature"`
	DutyCategory        DutyCategory   `db:"duty_category"`
	Headcount           int            `db:"headcount"`
	Pay                 Money          `db:"pay_fen"`
	WeeklyHours         int            `db:"weekly_hours"`
	WorkTimeRequirement string         `db:"work_time_requirement"`
	ApplyStart          time.Time      `db:"apply_start"`
	ApplyEnd            time.Time      `db:"apply_end"`
	WorkStart           time.Time      `db:"work_start"`
	WorkEnd             time.Time      `db:"work_end"`
	AcademicYear        string         `db:"academic_year"`
	Status              PositionStatus `db:"status"`
	PublishedAt         *time.Time     `db:"published_at"` // set when it is first published
	CreatedAt           time.Time      `db:"created_at"`
	UpdatedAt           time.Time      `db:"updated_at"`
}

// OpenAt reports whether students may apply at t: in OpenStatuses and inside the application window.
func (p Position) OpenAt(t time.Time) bool {
	return slices.Contains(OpenStatuses, p.Status) && !t.Before(p.ApplyStart) && t.Before(p.ApplyEnd)
}

// PositionInput is a position's editable fields.
type PositionInput struct {
	Title               string       `json:"title" validate:"notblank,max=100"`
	Description         string       `json:"description" validate:"max=5000"`
	Nature              Nature       `json:"nature" validate:"enum"`
	DutyCategory        DutyCategory `json:"dutyCategory" validate:"enum"`
	Headcount           int          `json:"headcount" validate:"gte=1,lte=1000"`
	Pay                 Money        `json:"pay" validate:"gte=0"`
	WeeklyHours         int          `json:"weeklyHours" validate:"gte=1,lte=168"`
	WorkTimeRequirement *string      `json:"workTimeRequirement" validate:"omitnil,max=500"`
	ApplyStart          time.Time    `json:"applyStart"`
	ApplyEnd            time.Time    `json:"applyEnd"`
	WorkStart           time.Time    `json:"workStart"`
	WorkEnd             time.Time    `json:"workEnd"`
	AcademicYear        string       `json:"academicYear" validate:"yearname"`
	UnitID              *int64       `json:"unitId"`
}

// PositionFilter narrows a position list; zero fields match everything.
type PositionFilter struct {
	Nature       *Nature         `json:"nature"`
	DutyCategory *DutyCategory   `json:"dutyCategory"`
	UnitID       *int64          `json:"unitId"`
	AcademicYear *string         `json:"academicYear"`
	Keyword      *string         `json:"keyword"`
	OpenNow      *bool           `json:"openNow"`
	Status       *PositionStatus `json:"status"`
}

// PositionQuery is a filter plus what the caller may see, for the store.
type PositionQuery struct {
	PositionFilter
	OnlyUnit int64            // unit staff: their unit only; 0 = any
	Statuses []PositionStatus // students: ListedToStudents; nil = any
	Now      time.Time
	AfterID  int64 // keyset: ids below this one; 0 = from the newest
	Limit    int   // 0 = no limit (counting)
}

// CreatePosition adds a DRAFT position for the caller's unit (unit staff) or for input.UnitID (admin),
// and starts its history. Returns VALIDATION for every bad field at once (see positionFromInput),
// for a unitId of another unit (unit staff), and for a missing or unknown unitId (admin);
// FORBIDDEN for unit staff whose token names a unit that does not exist.
func (s *Service) CreatePosition(ctx context.Context, in PositionInput) (*Position, error) {
	p, err := requireRole(ctx, auth.RoleUnitStaff, auth.RoleAdmin)
	if err != nil {
		return nil, err
	}
	unitID, unitErrs, err := s.positionUnit(ctx, p, in.UnitID)
	if err != nil {
		return nil, err
	}
	pos, errs, err := s.positionFromInput(ctx, s.store, in)
	if err != nil {
		return nil, err
	}
	if errs = append(unitErrs, errs...); len(errs) > 0 {
		return nil, UserErrors(errs)
	}
	pos.UnitID = unitID
	saved, err := s.insertPosition(ctx, p, pos, "")
	if err != nil {
		return nil, fmt.Errorf("create position %q: %w", pos.Title, err)
	}
	return saved, nil
}

// insertPosition stores pos as a new DRAFT and starts its history with note. Returns FORBIDDEN
// (unitGone) when the caller is unit staff whose token names a unit that does not exist: the
// insert's foreign key finds it, so no request pays a statement to look the unit up first (the
// year, the other key, was looked up by positionFromInput, and years are never deleted).
func (s *Service) insertPosition(ctx context.Context, p *auth.Principal, pos Position, note string) (*Position, error) {
	pos.Status, pos.CreatedAt = PositionDraft, s.now()
	var saved Position
	err := s.inTx(ctx, func(tx Tx) error {
		var err error
		if saved, err = tx.InsertPosition(ctx, pos); err != nil {
			return err
		}
		return tx.AppendPositionEvent(ctx, PositionEvent{ObjectID: saved.ID, To: saved.Status, Actor: actorName(p), Note: note, At: saved.CreatedAt})
	})
	var ce *ConstraintError
	if errors.As(err, &ce) && !ce.Unique && p.Role == auth.RoleUnitStaff {
		return nil, unitGone(ctx, p)
	}
	return &saved, err
}

// UpdatePosition replaces the fields of a DRAFT or PUBLISHED position, the statuses PositionMachine
// lets be edited (its unit, or admin). Returns NOT_FOUND for a missing position or another unit's,
// INVALID_TRANSITION naming the status of a CLOSED one (its fields are then not checked), and
// VALIDATION for each bad field. The unit of a position never changes; an edit is not recorded
// in its history.
func (s *Service) UpdatePosition(ctx context.Context, id int64, in PositionInput) (*Position, error) {
	var pos Position
	return take(ctx, s, positions, step[Position, PositionStatus, PositionAction]{action: ActionEdit, id: id,
		rules: func(tx Tx, cur *Position, _ Change) ([]UserError, error) {
			var errs []UserError
			var err error
			pos, errs, err = s.positionFromInput(ctx, tx, in)
			pos.ID, pos.UnitID, pos.Status = cur.ID, cur.UnitID, cur.Status
			return errs, err
		},
		write: func(tx Tx, _ Position, _ Arrow[PositionStatus, PositionAction], c Change) (Position, error) {
			pos.UpdatedAt = c.At
			return tx.UpdatePosition(ctx, pos) // the position's row is locked, and edit keeps its status
		}})
}

// PublishPosition moves a DRAFT position to PUBLISHED (its unit, or admin) and sets PublishedAt;
// any other status gives INVALID_TRANSITION, a missing position or another unit's NOT_FOUND. In a
// year whose positions need approval only admin publishes directly: unit staff get
// INVALID_TRANSITION naming the review step (submitPosition).
func (s *Service) PublishPosition(ctx context.Context, id int64) (*Position, error) {
	return take(ctx, s, positions, step[Position, PositionStatus, PositionAction]{action: ActionPublish, id: id,
		rules: func(tx Tx, cur *Position, c Change) ([]UserError, error) {
			review, err := needsApproval(ctx, tx, cur.AcademicYear)
			if err != nil || !review || c.Actor.Role == auth.RoleAdmin {
				return nil, err
			}
			return []UserError{{Code: UserErrInvalidTransition, Message: Message(ctx, "needsReview", cur.AcademicYear)}}, nil
		}})
}

// SubmitPosition sends a DRAFT position for review (its unit, or admin): PENDING_REVIEW, where
// students do not see it and nobody edits it until admin approves or returns it. Returns
// NOT_FOUND for a missing position or another unit's; INVALID_TRANSITION naming the status unless
// DRAFT, and naming the year when its positions need no approval (publish it instead); VALIDATION
// for each field that createPosition would refuse today (say, a weekly cap the year has lowered
// since), with the field's name as the path.
func (s *Service) SubmitPosition(ctx context.Context, id int64) (*Position, error) {
	return take(ctx, s, positions, step[Position, PositionStatus, PositionAction]{action: ActionSubmit, id: id,
		rules: func(tx Tx, cur *Position, _ Change) ([]UserError, error) {
			review, err := needsApproval(ctx, tx, cur.AcademicYear)
			if err != nil {
				return nil, err
			}
			if !review {
				return []UserError{{Code: UserErrInvalidTransition, Message: Message(ctx, "noReview", cur.AcademicYear)}}, nil
			}
			_, errs, err := s.positionFromInput(ctx, tx, inputOf(*cur))
			for i := range errs { // the position has no input argument: name its field
				if len(errs[i].Field) > 1 && errs[i].Field[0] == "input" {
					errs[i].Field = errs[i].Field[1:]
				}
			}
			return errs, err
		}})
}

// ApprovePosition publishes a PENDING_REVIEW position (admin), also after its year has stopped
// needing approval. Returns NOT_FOUND for a missing position, INVALID_TRANSITION naming the status
// unless PENDING_REVIEW (also for the loser of two concurrent reviews).
func (s *Service) ApprovePosition(ctx context.Context, id int64) (*Position, error) {
	return take(ctx, s, positions, step[Position, PositionStatus, PositionAction]{action: ActionApprove, id: id})
}

// ReturnPosition sends a PENDING_REVIEW position back to DRAFT (admin) with note, trimmed, kept
// in its history for the unit to read. Returns VALIDATION when the note is blank or longer than
// MaxNoteChars, NOT_FOUND for a missing position, INVALID_TRANSITION naming the status unless
// PENDING_REVIEW.
func (s *Service) ReturnPosition(ctx context.Context, id int64, note string) (*Position, error) {
	note, input := requiredNote(ctx, "note", note)
	return take(ctx, s, positions, step[Position, PositionStatus, PositionAction]{action: ActionReturn, id: id, note: note, input: input})
}

// needsApproval reports whether the positions of year need the graduate school's review.
func needsApproval(ctx context.Context, q Queries, year string) (bool, error) {
	y, err := q.AcademicYear(ctx, year)
	if err != nil {
		return false, fmt.Errorf("year %s: %w", year, err)
	}
	return y.PositionsNeedApproval, nil
}

// ClosePosition moves a PUBLISHED position to CLOSED (its unit, or admin); any other status gives
// INVALID_TRANSITION, a missing position or another unit's NOT_FOUND.
func (s *Service) ClosePosition(ctx context.Context, id int64) (*Position, error) {
	return take(ctx, s, positions, step[Position, PositionStatus, PositionAction]{action: ActionClose, id: id})
}

// positions drives PositionMachine; unit staff act on their own unit's positions, admin on any.
// Its write sets PublishedAt the first time a position reaches PublishedStatuses.
var positions = kind[Position, PositionStatus, PositionAction]{
	name:    "position",
	machine: PositionMachine,
	lock:    func(ctx context.Context, tx Tx, id int64) (Position, error) { return tx.PositionForUpdate(ctx, id) },
	status:  func(p Position) PositionStatus { return p.Status },
	visible: func(p *auth.Principal, pos Position) bool {
		return p.Role != auth.RoleUnitStaff || pos.UnitID == p.UnitID
	},
	refused: func(ctx context.Context, cur PositionStatus, a PositionAction) string {
		return Message(ctx, "badTransition", label(ctx, string(cur)), label(ctx, string(a)))
	},
	write: func(ctx context.Context, tx Tx, pos Position, a Arrow[PositionStatus, PositionAction], c Change) (Position, error) {
		var published *time.Time
		if slices.Contains(PublishedStatuses, a.To) && pos.PublishedAt == nil {
			published = &c.At
		}
		return tx.SetPositionStatus(ctx, pos.ID, a.From, a.To, c.At, published)
	},
	record: func(ctx context.Context, tx Tx, id int64, a Arrow[PositionStatus, PositionAction], c Change) error {
		return tx.AppendPositionEvent(ctx, PositionEvent{ObjectID: id, From: &a.From, To: a.To, Actor: actorName(c.Actor), Note: c.Note, At: c.At})
	},
}

// CopyPosition creates a DRAFT with the fields of position id, in any status, titled title or
// "<title>_复制" (its unit, or admin); the copy's history names its source. Returns NOT_FOUND for a
// missing position or another unit's, and VALIDATION when the copy would be invalid (a title too
// long, a year whose weekly cap has since dropped); an error of the title names the argument.
func (s *Service) CopyPosition(ctx context.Context, id int64, title *string) (*Position, error) {
	p, err := requireRole(ctx, auth.RoleUnitStaff, auth.RoleAdmin)
	if err != nil {
		return nil, err
	}
	src, err := s.visiblePosition(ctx, p, id)
	if err != nil {
		return nil, err
	}
	in := inputOf(*src)
	in.Title = src.Title + "_复制"
	if title != nil {
		in.Title = *title
	}
	pos, errs, err := s.positionFromInput(ctx, s.store, in)
	if err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		for i := range errs { // the only field a copy takes from the caller is the title argument
			if slices.Equal(errs[i].Field, []string{"input", "title"}) {
				errs[i].Field = []string{"title"}
			}
		}
		return nil, UserErrors(errs)
	}
	pos.UnitID = src.UnitID
	// The note is kept in the school's language, whoever reads it later.
	saved, err := s.insertPosition(ctx, p, pos, Message(WithLocale(ctx, Chinese), "copiedFrom", src.ID))
	if err != nil {
		return nil, fmt.Errorf("copy position %d: %w", id, err)
	}
	return saved, nil
}

// inputOf is the editable fields of pos, as createPosition would have been given them.
func inputOf(pos Position) PositionInput {
	return PositionInput{
		Title: pos.Title, Description: pos.Description, Nature: pos.Nature, DutyCategory: pos.DutyCategory,
		Headcount: pos.Headcount, Pay: pos.Pay, WeeklyHours: pos.WeeklyHours, WorkTimeRequirement: &pos.WorkTimeRequirement,
		ApplyStart: pos.ApplyStart, ApplyEnd: pos.ApplyEnd, WorkStart: pos.WorkStart, WorkEnd: pos.WorkEnd,
		AcademicYear: pos.AcademicYear,
	}
}

// Position returns one position the caller may see (any role: see canSee); NOT_FOUND otherwise,
// as for an id that does not exist.
func (s *Service) Position(ctx context.Context, id int64) (*Position, error) {
	p, err := Caller(ctx)
	if err != nil {
		return nil, err
	}
	return s.visiblePosition(ctx, p, id)
}

// Positions lists the positions the caller may see, newest first (any role): students PUBLISHED
// only, unit staff their own unit's. Returns BAD_USER_INPUT for a page size outside 1..MaxPage or
// a cursor not made here.
func (s *Service) Positions(ctx context.Context, f PositionFilter, page PageArgs) (*Page[Position], error) {
	p, err := Caller(ctx)
	if err != nil {
		return nil, err
	}
	limit, after, err := pageBounds(ctx, page)
	if err != nil {
		return nil, err
	}
	q := PositionQuery{PositionFilter: f, Now: s.now(), AfterID: after, Limit: limit + 1}
	switch p.Role {
	case auth.RoleStudent:
		q.Statuses = ListedToStudents
	case auth.RoleUnitStaff:
		q.OnlyUnit = p.UnitID
	}
	if q.Keyword != nil {
		kw := strings.TrimSpace(*q.Keyword)
		q.Keyword = &kw
	}
	rows, err := s.store.ListPositions(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("list positions: %w", err)
	}
	res := newPage(rows, limit, func(p Position) int64 { return p.ID })
	if page.WithTotal {
		q.AfterID, q.Limit = 0, 0
		if res.TotalCount, err = s.store.CountPositions(ctx, q); err != nil {
			return nil, fmt.Errorf("count positions: %w", err)
		}
	}
	return &res, nil
}

// PositionOpenNow reports whether students may apply to pos now.
func (s *Service) PositionOpenNow(pos *Position) bool { return pos.OpenAt(s.now()) }

// canSee is the visibility rule for positions: admin all, unit staff their unit's, students ListedToStudents.
func canSee(p *auth.Principal, pos Position) bool {
	switch p.Role {
	case auth.RoleAdmin:
		return true
	case auth.RoleUnitStaff:
		return pos.UnitID == p.UnitID
	default:
		return slices.Contains(ListedToStudents, pos.Status)
	}
}

func (s *Service) visiblePosition(ctx context.Context, p *auth.Principal, id int64) (*Position, error) {
	return visibleByID(ctx, "position", id, s.store.PositionsByID, func(pos Position) bool { return canSee(p, pos) })
}

// visibleByID reads one object through a batch lookup and returns it when visible says the caller
// may see it; otherwise NOT_FOUND, the same answer as for an id that does not exist.
func visibleByID[T any](ctx context.Context, kind string, id int64, fetch func(context.Context, []int64) ([]T, error), visible func(T) bool) (*T, error) {
	items, err := fetch(ctx, []int64{id})
	if err != nil {
		return nil, fmt.Errorf("%s %d: %w", kind, id, err)
	}
	if len(items) == 0 || !visible(items[0]) {
		return nil, notFound(ctx, kind, id)
	}
	return &items[0], nil
}

// positionFromInput validates every field of in but the unit and builds the position: the tags,
// the order of the windows (apply start < apply end <= work start < work end), that the year exists
// and that the weekly hours stay within its cap. It returns the user errors of every bad field;
// err is for failures of the store only.
func (s *Service) positionFromInput(ctx context.Context, q Queries, in PositionInput) (Position, []UserError, error) {
	in.Title, in.Description = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description)
	if in.WorkTimeRequirement != nil {
		wtr := strings.TrimSpace(*in.WorkTimeRequirement)
		in.WorkTimeRequirement = &wtr
	}
	errs := s.check(ctx, in, "input")
	order := func(field string, ok bool, aName string, a time.Time, bName string, b time.Time, key string) {
		if !ok {
			errs = append(errs, fieldErr(ctx, []string{"input", field}, key, label(ctx, aName), fmtTime(a), label(ctx, bName), fmtTime(b)))
		}
	}
	order("applyEnd", in.ApplyStart.Before(in.ApplyEnd), "applyStart", in.ApplyStart, "applyEnd", in.ApplyEnd, "dateOrder")
	order("workStart", !in.WorkStart.Before(in.ApplyEnd), "applyEnd", in.ApplyEnd, "workStart", in.WorkStart, "dateNotAfter")
	order("workEnd", in.WorkStart.Before(in.WorkEnd), "workStart", in.WorkStart, "workEnd", in.WorkEnd, "dateOrder")

	year, err := q.AcademicYear(ctx, in.AcademicYear)
	switch {
	case errors.Is(err, ErrNoRows):
		if ValidYearName(in.AcademicYear) {
			errs = append(errs, fieldErr(ctx, []string{"input", "academicYear"}, "noSuchYear", Shorten(in.AcademicYear)))
		}
	case err != nil:
		return Position{}, nil, fmt.Errorf("year %s: %w", in.AcademicYear, err)
	case in.WeeklyHours > year.MaxWeeklyHours && !hasField(errs, "input", "weeklyHours"):
		errs = append(errs, fieldErr(ctx, []string{"input", "weeklyHours"}, "overYearCap",
			label(ctx, "weeklyHours"), year.Name, year.MaxWeeklyHours, in.WeeklyHours))
	}
	if len(errs) > 0 {
		return Position{}, errs, nil
	}
	pos := Position{
		Title: in.Title, Description: in.Description, Nature: in.Nature, DutyCategory: in.DutyCategory,
		Headcount: in.Headcount, Pay: in.Pay, WeeklyHours: in.WeeklyHours,
		ApplyStart: in.ApplyStart, ApplyEnd: in.ApplyEnd, WorkStart: in.WorkStart, WorkEnd: in.WorkEnd,
		AcademicYear: in.AcademicYear,
	}
	if in.WorkTimeRequirement != nil {
		pos.WorkTimeRequirement = *in.WorkTimeRequirement
	}
	return pos, nil, nil
}

// positionUnit decides which unit a new position belongs to: unit staff their own (an unitId of
// another unit is refused), admin the one named, which must exist.
func (s *Service) positionUnit(ctx context.Context, p *auth.Principal, unitID *int64) (int64, []UserError, error) {
	field := []string{"input", "unitId"}
	if p.Role == auth.RoleUnitStaff {
		if unitID != nil && *unitID != p.UnitID {
			return 0, []UserError{fieldErr(ctx, field, "unitIDNotYours")}, nil
		}
		return p.UnitID, nil, nil
	}
	if unitID == nil {
		return 0, []UserError{fieldErr(ctx, field, "adminNeedsUnit")}, nil
	}
	us, err := s.UnitsByID(ctx, []int64{*unitID})
	if err != nil {
		return 0, nil, err
	}
	if len(us) == 0 {
		return 0, []UserError{fieldErr(ctx, field, "noSuchUnit", *unitID)}, nil
	}
	return *unitID, nil, nil
}

// PositionHistories returns the histories of the given positions, oldest first, for unit staff and
// admin; students get none (the notes are the school's). Dataloaders call it for Position.history,
// whose positions the caller was already allowed to see.
func (s *Service) PositionHistories(ctx context.Context, ids []int64) ([]PositionEvent, error) {
	p, err := Caller(ctx)
	if err != nil || p.Role == auth.RoleStudent {
		return nil, err
	}
	es, err := s.store.PositionEventsOf(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("position histories: %w", err)
	}
	return es, nil
}
