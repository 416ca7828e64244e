package service

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/zhuguan/zhuguan/auth"
)

// Unit is an employing department (聘用单位); its staff act for it.
type Unit struct {
	ID   int64  `db:"id"`
	Name string `db:"name"`
}

// CreateUnitInput names a new unit.
type CreateUnitInput struct {
	Name string `json:"name" validate:"notblank,max=100"`
}

// CreateUnit adds a unit named in.Name, trimmed (admin). Returns VALIDATION for a blank name or one
// over 100 characters, and CONFLICT when the name is taken, also by a concurrent create.
func (s *Service) CreateUnit(ctx context.Context, in CreateUnitInput) (*Unit, error) {
	if _, err := requireRole(ctx, auth.RoleAdmin); err != nil {
		return nil, err
	}
	in.Name = strings.TrimSpace(in.Name)
	if errs := s.check(ctx, in, "input"); len(errs) > 0 {
		return nil, UserErrors(errs)
	}
	u, err := s.store.CreateUnit(ctx, in.Name)
	var ce *ConstraintError
	if errors.As(err, &ce) && ce.Unique {
		return nil, UserErrors{{Code: UserErrConflict, Field: []string{"input", "name"}, Message: Message(ctx, "unitNameTaken", Quote(in.Name))}}
	}
	if err != nil {
		return nil, fmt.Errorf("create unit %q: %w", in.Name, err)
	}
	return &u, nil
}

// Units lists the units the caller may see, by name (any role): all for students and admin, their
// own for unit staff.
func (s *Service) Units(ctx context.Context) ([]Unit, error) {
	p, err := Caller(ctx)
	if err != nil {
		return nil, err
	}
	if p.Role == auth.RoleUnitStaff {
		return s.UnitsByID(ctx, []int64{p.UnitID})
	}
	us, err := s.store.Units(ctx)
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	return us, nil
}

// UnitsByID returns those of the given units that exist, in no particular order. Dataloaders call
// it for nested unit fields, whose parents the caller was already allowed to see.
func (s *Service) UnitsByID(ctx context.Context, ids []int64) ([]Unit, error) {
	us, err := s.store.UnitsByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("units by id: %w", err)
	}
	return us, nil
}

// ViewerUnit returns the unit a UNIT_STAFF caller acts for (any role): nil for other roles, and
// when the token names a unit that does not exist.
func (s *Service) ViewerUnit(ctx context.Context) (*Unit, error) {
	p, err := Caller(ctx)
	if err != nil || p.Role != auth.RoleUnitStaff {
		return nil, err
	}
	us, err := s.UnitsByID(ctx, []int64{p.UnitID})
	if err != nil || len(us) == 0 {
		return nil, err
	}
	return &us[0], nil
}
