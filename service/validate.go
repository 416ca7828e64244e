package service

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
)

var (
	hhmmRe      = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	yearNameRe  = regexp.MustCompile(`^([0-9]{4})-([0-9]{4})$`)
	phoneRe     = regexp.MustCompile(`^\+?[0-9][0-9 \-]*[0-9]$`)
	studentNoRe = regexp.MustCompile(`^[0-9A-Za-z]{4,20}$`)
)

// newValidator returns the one validator the service shares: field names are the GraphQL input
// names (json tags), and the project's own rules are registered by tag.
func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	regex := func(re *regexp.Regexp) validator.Func {
		return func(fl validator.FieldLevel) bool { return re.MatchString(fl.Field().String()) }
	}
	must(v.RegisterValidation("hhmm", regex(hhmmRe)))
	must(v.RegisterValidation("phone", func(fl validator.FieldLevel) bool {
		p := fl.Field().String()
		return len(p) >= 7 && len(p) <= 20 && phoneRe.MatchString(p)
	}))
	must(v.RegisterValidation("cents", func(fl validator.FieldLevel) bool { return hasCents(fl.Field().Float()) }))
	must(v.RegisterValidation("studentno", regex(studentNoRe)))
	must(v.RegisterValidation("yearname", func(fl validator.FieldLevel) bool { return ValidYearName(fl.Field().String()) }))
	must(v.RegisterValidation("notblank", func(fl validator.FieldLevel) bool {
		return strings.TrimSpace(fl.Field().String()) != ""
	}))
	must(v.RegisterValidation("enum", func(fl validator.FieldLevel) bool {
		e, ok := fl.Field().Interface().(interface{ Valid() bool })
		return ok && e.Valid()
	}))
	return v
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// ValidYearName reports whether s names an academic year: two consecutive years "YYYY-YYYY" of
// the common era (no year 0000, as no Date has one).
func ValidYearName(s string) bool {
	m := yearNameRe.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	return a >= 1 && b == a+1
}

// check validates v's tags and returns one UserError per bad field, under the given path prefix
// (e.g. "input" or "input", "3" for a row of a list).
func (s *Service) check(ctx context.Context, v any, prefix ...string) []UserError {
	err := s.validate.Struct(v)
	if err == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		panic(fmt.Sprintf("service: validating %T: %v", v, err)) // only a bad tag gets here
	}
	out := make([]UserError, 0, len(ves))
	for _, fe := range ves {
		path := fieldPath(prefix, fe.Namespace())
		out = append(out, UserError{Code: UserErrValidation, Field: path, Message: describe(ctx, fe)})
	}
	return out
}

// fieldPath turns validator's "ProfileInput.freeTime[1].end" into [prefix..., "freeTime", "1", "end"].
func fieldPath(prefix []string, ns string) []string {
	path := append([]string{}, prefix...)
	_, rest, _ := strings.Cut(ns, ".") // drop the struct's own name
	for _, part := range strings.Split(rest, ".") {
		name, idx, indexed := strings.Cut(part, "[")
		path = append(path, name)
		if indexed {
			path = append(path, strings.TrimSuffix(idx, "]"))
		}
	}
	return path
}

// describe states the rule a field broke and what was found, in the caller's language.
func describe(ctx context.Context, fe validator.FieldError) string {
	name, _, _ := strings.Cut(fe.Field(), "[") // an element of a list is named after its list
	field := label(ctx, name)
	val := fe.Value()
	switch fe.Tag() {
	case "required", "notblank":
		return Message(ctx, "required", field)
	case "max", "min", "lte", "gte", "gt":
		return describeBound(ctx, fe, field, val)
	case "email":
		return Message(ctx, "email", field, quoteValue(val))
	case "hhmm":
		return Message(ctx, "hhmm", field, quoteValue(val))
	case "yearname":
		return Message(ctx, "yearName", field, quoteValue(val))
	case "phone":
		return Message(ctx, "phone", field, quoteValue(val))
	case "studentno":
		return Message(ctx, "studentNo", field, quoteValue(val))
	case "cents":
		return Message(ctx, "hoursPrecision", field, val)
	case "unique":
		return Message(ctx, "duplicate", field, showValue(val))
	default:
		return Message(ctx, "invalidValue", field, showValue(val))
	}
}

func describeBound(ctx context.Context, fe validator.FieldError, field string, val any) string {
	upper := fe.Tag() == "max" || fe.Tag() == "lte"
	switch fe.Kind() {
	case reflect.String:
		n := utf8.RuneCountInString(val.(string))
		if upper {
			return Message(ctx, "maxChars", field, fe.Param(), n)
		}
		return Message(ctx, "minChars", field, fe.Param(), n)
	case reflect.Slice:
		n := reflect.ValueOf(val).Len()
		if upper {
			return Message(ctx, "maxItems", field, fe.Param(), n)
		}
		return Message(ctx, "minItems", field, fe.Param(), n)
	}
	switch {
	case upper:
		return Message(ctx, "maxNumber", field, fe.Param(), val)
	case fe.Tag() == "gt":
		return Message(ctx, "gtNumber", field, fe.Param(), val)
	default:
		return Message(ctx, "minNumber", field, fe.Param(), val)
	}
}

// quoteValue quotes a field's value for a message (Quote); the fields it serves are strings.
func quoteValue(v any) string { return Quote(fmt.Sprint(v)) }

// showValue shows a value that is not quoted text (a number, a list of enum values) for a
// message, cut as Quote cuts text.
func showValue(v any) string { return Shorten(fmt.Sprint(v)) }

// fieldErr builds one VALIDATION user error for a rule the tags cannot express.
func fieldErr(ctx context.Context, path []string, key string, args ...any) UserError {
	return UserError{Code: UserErrValidation, Field: path, Message: Message(ctx, key, args...)}
}

// hasCents reports whether f has at most two decimal places, as hours are stored.
func hasCents(f float64) bool { return math.Abs(math.Round(f*100)-f*100) < 1e-6 }

// hasField reports whether errs already has an error on the field at path.
func hasField(errs []UserError, path ...string) bool {
	for _, e := range errs {
		if slices.Equal(e.Field, path) {
			return true
		}
	}
	return false
}
