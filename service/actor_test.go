package service

import (
	"context"
	"testing"

	"github.com/zhuguan/zhuguan/auth"
)

func TestActorShown(t *testing.T) {
	student := &auth.Principal{Subject: "s1", Role: auth.RoleStudent, StudentNo: "1"}
	staff := &auth.Principal{Subject: "u7", Role: auth.RoleUnitStaff, UnitID: 7}
	admin := &auth.Principal{Subject: "root", Role: auth.RoleAdmin}
	en := WithLocale(context.Background(), English)
	tests := []struct {
		name   string
		ctx    context.Context
		viewer *auth.Principal
		actor  string
		role   auth.Role
		want   string
	}{
		{"student, own step", context.Background(), student, "s1", auth.RoleStudent, "s1"},
		{"student, unit's step", context.Background(), student, "u7", auth.RoleUnitStaff, "聘用单位：图书馆"},
		{"student, admin's step", context.Background(), student, "root", auth.RoleAdmin, "研究生院"},
		{"student in English, unit's step", en, student, "u7", auth.RoleUnitStaff, "Unit: 图书馆"},
		{"student in English, admin's step", en, student, "root", auth.RoleAdmin, "Graduate School"},
		{"no viewer, unit's step", context.Background(), nil, "u7", auth.RoleUnitStaff, "聘用单位：图书馆"},
		{"unit staff, student's step", context.Background(), staff, "s1", auth.RoleStudent, "s1"},
		{"unit staff, admin's step", context.Background(), staff, "root", auth.RoleAdmin, "root"},
		{"admin, unit's step", context.Background(), admin, "u7", auth.RoleUnitStaff, "u7"},
	}
	for _, tt := range tests {
		if got := actorShown(tt.ctx, tt.viewer, tt.actor, tt.role, "图书馆"); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestNominationActorRole(t *testing.T) {
	tests := []struct {
		from, to NominationStatus // from "": the submission
		want     auth.Role
	}{
		{"", NominationSubmitted, auth.RoleStudent},
		{NominationSubmitted, NominationWithdrawn, auth.RoleStudent},
		{NominationSubmitted, NominationAwarded, auth.RoleAdmin},
		{NominationSubmitted, NominationNotAwarded, auth.RoleAdmin},
		{NominationAwarded, NominationWithdrawn, auth.RoleAdmin}, // no such arrow: never shown as the student's
	}
	for _, tt := range tests {
		e := NominationEvent{To: tt.to}
		if tt.from != "" {
			e.From = &tt.from
		}
		if got := nominationActorRole(e); got != tt.want {
			t.Errorf("%q -> %s: got %s, want %s", tt.from, tt.to, got, tt.want)
		}
	}
}
