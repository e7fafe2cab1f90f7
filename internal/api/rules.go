package api

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Input validation is declared on the fields of an operation's input type
// with the struct tag `aws:"…"`, a comma-separated list of options taken
// from the service model:
//
//	required        the member must be present (not null)
//	sensitive       messages never print the value (passwords, secrets)
//	len=A-B         length of a string in runes, or of a list or map
//	range=A-B       value of an integer
//	enum=A|B|C      a string (or each string of a list) is one of these
//	pattern=RE      a string (or each string of a list) fully matches the Go
//	                regular expression RE; it must be the last option, as
//	                RE may itself contain commas
//
// The tag value is a Go string literal, so a backslash in a pattern is
// written twice: `aws:"pattern=[\\w-]+_[0-9a-zA-Z]+"` means [\w-]+_[0-9a-zA-Z]+.
//
// Either bound of len and range may be left out ("range=0-", "len=-128").
//
// Absence: a nil pointer, slice or map and an empty string are absent, and
// so is the zero value of a non-pointer number or boolean. Only required
// fires on an absent member; the other constraints check present members.
// Because a non-pointer number or boolean cannot be told absent from zero,
// required on one is a programming error, and so Op panics; use a pointer.
//
// Nested structs, pointers to structs and lists of structs are validated
// recursively; their members are named AWS-style, "policies.passwordPolicy"
// and "userAttributes.1.member.name" (list positions count from 1).

// fieldRule is the parsed `aws` tag of one struct field.
type fieldRule struct {
	index     int
	name      string // the member name in messages: JSON name, first letter lower-cased
	inline    bool   // an embedded struct whose members JSON promotes
	required  bool
	sensitive bool

	hasLen         bool
	minLen, maxLen int // maxLen < 0: no upper bound

	hasRange             bool
	hasMin, hasMax       bool
	minValue, maxValue   int64
	enum                 []string
	pattern              *regexp.Regexp
	patternText          string
	nested               *typeRules // rules of the struct (or list element struct), if it has any
	nestedList, elemList bool       // nested is the rules of list elements; enum/pattern apply to list elements
}

// typeRules are the rules of one struct type.
type typeRules struct {
	fields []fieldRule
}

var (
	rulesMu    sync.Mutex
	rulesCache = map[reflect.Type]*typeRules{}
)

// rulesFor returns the cached rules of struct type t, parsing its tags the
// first time. A nil result means t (and everything in it) has no rules.
func rulesFor(t reflect.Type) (*typeRules, error) {
	rulesMu.Lock()
	defer rulesMu.Unlock()
	return rulesLocked(t)
}

func rulesLocked(t reflect.Type) (*typeRules, error) {
	if r, ok := rulesCache[t]; ok {
		return r, nil
	}
	// Register before parsing so that a recursive type terminates.
	r := &typeRules{}
	rulesCache[t] = r
	for i := range t.NumField() {
		f := t.Field(i)
		fr, ok, err := parseField(f)
		if err != nil {
			delete(rulesCache, t)
			return nil, fmt.Errorf("%s.%s: %w", t, f.Name, err)
		}
		if ok {
			fr.index = i
			r.fields = append(r.fields, fr)
		}
	}
	if len(r.fields) == 0 {
		rulesCache[t] = nil
		return nil, nil
	}
	return r, nil
}

// parseField parses f's tag; ok is false when f needs no checks.
func parseField(f reflect.StructField) (fr fieldRule, ok bool, err error) {
	if !f.IsExported() {
		return fr, false, nil
	}
	jsonName, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if jsonName == "-" {
		return fr, false, nil
	}
	if jsonName == "" {
		jsonName = f.Name
	}
	fr.name = lowerFirst(jsonName)
	fr.inline = f.Anonymous && f.Tag.Get("json") == "" && derefType(f.Type).Kind() == reflect.Struct

	if tag, has := f.Tag.Lookup("aws"); has {
		if err := fr.parseTag(tag, f.Type); err != nil {
			return fr, false, err
		}
	}

	// Recurse into structs, pointers to structs and lists of them.
	t := derefType(f.Type)
	list := false
	if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		t, list = derefType(t.Elem()), true
	}
	if t.Kind() == reflect.Struct {
		nested, err := rulesLocked(t)
		if err != nil {
			return fr, false, err
		}
		fr.nested, fr.nestedList = nested, list
	}
	ok = fr.required || fr.hasLen || fr.hasRange || fr.enum != nil || fr.pattern != nil || fr.nested != nil
	return fr, ok, nil
}

func (fr *fieldRule) parseTag(tag string, t reflect.Type) error {
	kind := derefType(t).Kind()
	isString := kind == reflect.String
	isStringList := (kind == reflect.Slice || kind == reflect.Array) && derefType(t).Elem().Kind() == reflect.String
	for tag != "" {
		var opt string
		if strings.HasPrefix(tag, "pattern=") {
			opt, tag = tag, ""
		} else {
			opt, tag, _ = strings.Cut(tag, ",")
		}
		key, val, _ := strings.Cut(strings.TrimSpace(opt), "=")
		switch key {
		case "required":
			if t.Kind() != reflect.Pointer && !canBeNull(kind) {
				return fmt.Errorf("aws tag: required on a non-pointer %s cannot be checked; use a pointer", t)
			}
			fr.required = true
		case "sensitive":
			fr.sensitive = true
		case "len":
			if !isString && kind != reflect.Slice && kind != reflect.Array && kind != reflect.Map {
				return fmt.Errorf("aws tag: len on %s", t)
			}
			lo, hi, hasLo, hasHi, err := parseBounds(val)
			if err != nil {
				return fmt.Errorf("aws tag: len=%s: %w", val, err)
			}
			fr.hasLen, fr.minLen, fr.maxLen = true, int(lo), int(hi)
			if !hasLo {
				fr.minLen = 0
			}
			if !hasHi {
				fr.maxLen = -1
			}
		case "range":
			if !isInteger(kind) {
				return fmt.Errorf("aws tag: range on %s", t)
			}
			lo, hi, hasLo, hasHi, err := parseBounds(val)
			if err != nil {
				return fmt.Errorf("aws tag: range=%s: %w", val, err)
			}
			fr.hasRange, fr.minValue, fr.maxValue, fr.hasMin, fr.hasMax = true, lo, hi, hasLo, hasHi
		case "enum":
			if !isString && !isStringList {
				return fmt.Errorf("aws tag: enum on %s", t)
			}
			fr.enum = strings.Split(val, "|")
			fr.elemList = isStringList
		case "pattern":
			if !isString && !isStringList {
				return fmt.Errorf("aws tag: pattern on %s", t)
			}
			re, err := regexp.Compile(`^(?:` + val + `)$`)
			if err != nil {
				return fmt.Errorf("aws tag: %w", err)
			}
			fr.pattern, fr.patternText = re, val
			fr.elemList = isStringList
		default:
			return fmt.Errorf("aws tag: unknown option %q", opt)
		}
	}
	return nil
}

// parseBounds parses "A-B" where either side may be empty.
func parseBounds(s string) (lo, hi int64, hasLo, hasHi bool, err error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, false, false, fmt.Errorf("want A-B")
	}
	if a != "" {
		if lo, err = strconv.ParseInt(a, 10, 64); err != nil {
			return
		}
		hasLo = true
	}
	if b != "" {
		if hi, err = strconv.ParseInt(b, 10, 64); err != nil {
			return
		}
		hasHi = true
	}
	if !hasLo && !hasHi {
		err = fmt.Errorf("no bounds")
	} else if hasLo && hasHi && lo > hi {
		err = fmt.Errorf("lower bound above upper bound")
	}
	return
}

func derefType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func canBeNull(k reflect.Kind) bool {
	switch k {
	case reflect.String, reflect.Slice, reflect.Map, reflect.Interface, reflect.Pointer:
		return true
	}
	return false
}

func isInteger(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
