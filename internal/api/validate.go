package api

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tarn-idp/tarn/internal/cognito"
)

// validate checks v (a pointer to a struct) against its `aws` tags and
// returns nil or an InvalidParameterException listing every violation in
// AWS's words, for example
//
//	1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null
func validate(v any) error {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	rules, err := rulesFor(rv.Type())
	if err != nil {
		return err
	}
	var c checker
	c.check(rules, rv, "")
	switch n := len(c.errs); n {
	case 0:
		return nil
	case 1:
		return cognito.Errorf(cognito.InvalidParameter, "1 validation error detected: %s", c.errs[0])
	default:
		return cognito.Errorf(cognito.InvalidParameter, "%d validation errors detected: %s", n, strings.Join(c.errs, "; "))
	}
}

// checker collects violations in field order.
type checker struct{ errs []string }

func (c *checker) check(rules *typeRules, v reflect.Value, prefix string) {
	if rules == nil {
		return
	}
	for i := range rules.fields {
		r := &rules.fields[i]
		fv := v.Field(r.index)
		if r.inline {
			if fv = deref(fv); fv.IsValid() {
				c.check(r.nested, fv, prefix)
			}
			continue
		}
		c.checkField(r, fv, joinPath(prefix, r.name))
	}
}

func (c *checker) checkField(r *fieldRule, fv reflect.Value, path string) {
	if isAbsent(fv) {
		if r.required {
			c.add(path, "null", "Member must not be null")
		}
		return
	}
	fv = deref(fv)
	switch k := fv.Kind(); {
	case k == reflect.String:
		s := fv.String()
		if r.hasLen {
			c.checkLen(r, path, utf8.RuneCountInString(s), fv)
		}
		if r.enum != nil && !slices.Contains(r.enum, s) {
			c.add(path, r.show(fv), enumText(r.enum))
		}
		if r.pattern != nil && !r.pattern.MatchString(s) {
			c.add(path, r.show(fv), patternText(r.patternText))
		}
	case isInteger(k):
		if r.hasRange {
			c.checkRange(r, path, fv)
		}
	case k == reflect.Slice || k == reflect.Array || k == reflect.Map:
		if r.hasLen {
			c.checkLen(r, path, fv.Len(), fv)
		}
		if r.elemList {
			c.checkElems(r, path, fv)
		}
		if r.nested != nil && r.nestedList {
			for i := range fv.Len() {
				if ev := deref(fv.Index(i)); ev.IsValid() {
					c.check(r.nested, ev, path+"."+strconv.Itoa(i+1)+".member")
				}
			}
		}
	case k == reflect.Struct:
		c.check(r.nested, fv, path)
	}
}

func (c *checker) checkLen(r *fieldRule, path string, n int, fv reflect.Value) {
	switch {
	case n < r.minLen:
		c.add(path, r.show(fv), "Member must have length greater than or equal to "+strconv.Itoa(r.minLen))
	case r.maxLen >= 0 && n > r.maxLen:
		c.add(path, r.show(fv), "Member must have length less than or equal to "+strconv.Itoa(r.maxLen))
	}
}

func (c *checker) checkRange(r *fieldRule, path string, fv reflect.Value) {
	var low, high bool
	if fv.CanInt() {
		n := fv.Int()
		low, high = r.hasMin && n < r.minValue, r.hasMax && n > r.maxValue
	} else {
		n := fv.Uint()
		low = r.hasMin && (r.minValue > 0 && n < uint64(r.minValue))
		high = r.hasMax && (r.maxValue < 0 || n > uint64(r.maxValue))
	}
	switch {
	case low:
		c.add(path, r.show(fv), "Member must have value greater than or equal to "+strconv.FormatInt(r.minValue, 10))
	case high:
		c.add(path, r.show(fv), "Member must have value less than or equal to "+strconv.FormatInt(r.maxValue, 10))
	}
}

// checkElems applies enum and pattern to each string of a list. AWS reports
// a failing element against the whole list:
//
//	Value '[A, X]' at 'explicitAuthFlows' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [A, B]]
func (c *checker) checkElems(r *fieldRule, path string, fv reflect.Value) {
	var badEnum, badPattern bool
	for i := range fv.Len() {
		ev := deref(fv.Index(i))
		if !ev.IsValid() {
			continue
		}
		s := ev.String()
		badEnum = badEnum || (r.enum != nil && !slices.Contains(r.enum, s))
		badPattern = badPattern || (r.pattern != nil && !r.pattern.MatchString(s))
	}
	if badEnum {
		c.add(path, r.show(fv), "Member must satisfy constraint: ["+enumText(r.enum)+"]")
	}
	if badPattern {
		c.add(path, r.show(fv), "Member must satisfy constraint: ["+patternText(r.patternText)+"]")
	}
}

// add records one violation. value is already rendered ("'x'", "null") or
// empty when the value must not or cannot be shown.
func (c *checker) add(path, value, constraint string) {
	subject := "Value at '" + path + "'"
	if value != "" {
		subject = "Value " + value + " at '" + path + "'"
	}
	c.errs = append(c.errs, subject+" failed to satisfy constraint: "+constraint)
}

// show renders a present value the way AWS does: quoted scalars and lists
// of scalars ('x', '5', '[a, b]'); nothing for sensitive members or for
// values AWS would print as Java object dumps.
func (r *fieldRule) show(v reflect.Value) string {
	if r.sensitive {
		return ""
	}
	if s, ok := scalarText(v); ok {
		return "'" + s + "'"
	}
	if k := v.Kind(); k == reflect.Slice || k == reflect.Array {
		items := make([]string, 0, v.Len())
		for i := range v.Len() {
			s, ok := scalarText(deref(v.Index(i)))
			if !ok {
				return ""
			}
			items = append(items, s)
		}
		return "'[" + strings.Join(items, ", ") + "]'"
	}
	return ""
}

func scalarText(v reflect.Value) (string, bool) {
	switch k := v.Kind(); {
	case k == reflect.String:
		return v.String(), true
	case k == reflect.Bool:
		return strconv.FormatBool(v.Bool()), true
	case v.CanInt():
		return strconv.FormatInt(v.Int(), 10), true
	case v.CanUint():
		return strconv.FormatUint(v.Uint(), 10), true
	case v.CanFloat():
		return fmt.Sprint(v.Float()), true
	}
	return "", false
}

func enumText(values []string) string {
	return "Member must satisfy enum value set: [" + strings.Join(values, ", ") + "]"
}

func patternText(p string) string {
	return "Member must satisfy regular expression pattern: " + p
}

// isAbsent reports whether v stands for a member the client did not send.
func isAbsent(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		return v.IsNil()
	case reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	}
	if isInteger(v.Kind()) || v.CanFloat() {
		return v.IsZero()
	}
	return false
}

// deref follows pointers; it returns the zero Value for a nil pointer.
func deref(v reflect.Value) reflect.Value {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	return v
}

func joinPath(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}
