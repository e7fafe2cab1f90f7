package userpool

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// Attribute data types (SchemaAttributeType.AttributeDataType).
const (
	typeString   = "String"
	typeNumber   = "Number"
	typeDateTime = "DateTime"
	typeBoolean  = "Boolean"
)

const (
	// maxCustomAttributes is the number of custom attributes a pool may
	// define over its life (api.md §3.5).
	maxCustomAttributes = 50
	// maxAttributeValue is the longest value any attribute may hold.
	maxAttributeValue = 2048
)

// customNameRE is the model pattern of SchemaAttributeType.Name (its length
// is checked apart: 1–20 characters).
var customNameRE = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$`)

// standardAttributes lists the 20 standard attributes in the order a real
// DescribeUserPool returns them (api.md §3.4).
var standardAttributes = []struct {
	name, typ      string
	mutable, req   bool
	minLen, maxLen string // constraints of String attributes
	minVal         string // constraint of Number attributes
}{
	{name: "sub", typ: typeString, mutable: false, req: true, minLen: "1", maxLen: "2048"},
	{name: "name", typ: typeString, mutable: true, minLen: "0", maxLen: "2048"},
	{name: "given_name", typ: typeString, mutable: true, minLen: "0", maxLen: "2048"},
	{name: "family_name", typ: typeString, mutable: true, minLen: "0", maxLen: "2048"},
	{name: "middle_name", typ: typeString, mutable: true, minLen: "0", maxLen: "2048"},
	{name: "nickname", typ: typeString, mutable: true, minLen: "0", maxLen: "2048"},
	{name: "preferred_username", typ: typeString, mutable: true, minLen: "0", maxLen: "2048"},
	{name: "profile", typ: typeString, mutable: true, minLen: "0", maxLen: "2048"},
	{name: "picture", typ: typeString, mutable: true, minLen: "0", maxLen: "2048"},
	{name: "website", typ: typeString, mutable: true, minLen: "0", maxLen: "2048"},
	{name: "email", typ: typeString, mutable: true, minLen: "0", maxLen: "2048"},
	{name: "email_verified", typ: typeBoolean, mutable: true},
	{name: "gender", typ: typeString, mutable: true, minLen: "0", maxLen: "2048"},
	{name: "birthdate", typ: typeString, mutable: true, minLen: "10", maxLen: "10"},
	{name: "zoneinfo", typ: typeString, mutable: true, minLen: "0", maxLen: "2048"},
	{name: "locale", typ: typeString, mutable: true, minLen: "0", maxLen: "2048"},
	{name: "phone_number", typ: typeString, mutable: true, minLen: "0", maxLen: "2048"},
	{name: "phone_number_verified", typ: typeBoolean, mutable: true},
	{name: "address", typ: typeString, mutable: true, minLen: "0", maxLen: "2048"},
	{name: "updated_at", typ: typeNumber, mutable: true, minVal: "0"},
}

// standardSchema returns a fresh copy of the 20 standard attributes, each
// with DeveloperOnlyAttribute, Mutable and Required set.
func standardSchema() []cognito.SchemaAttribute {
	out := make([]cognito.SchemaAttribute, 0, len(standardAttributes))
	for _, d := range standardAttributes {
		a := cognito.SchemaAttribute{
			Name:                   d.name,
			AttributeDataType:      d.typ,
			DeveloperOnlyAttribute: boolRef(false),
			Mutable:                boolRef(d.mutable),
			Required:               boolRef(d.req),
		}
		switch d.typ {
		case typeString:
			a.StringAttributeConstraints = &cognito.StringAttributeConstraints{MinLength: strRef(d.minLen), MaxLength: strRef(d.maxLen)}
		case typeNumber:
			a.NumberAttributeConstraints = &cognito.NumberAttributeConstraints{MinValue: strRef(d.minVal)}
		}
		out = append(out, a)
	}
	return out
}

// isStandardAttribute reports whether name is one of the 20 standard
// attributes.
func isStandardAttribute(name string) bool {
	for _, d := range standardAttributes {
		if d.name == name {
			return true
		}
	}
	return false
}

// buildSchema returns the schema of a new pool: the standard attributes,
// adjusted by the entries of in that name one of them, followed by the
// custom attributes in defines, in order. Errors are
// InvalidParameterExceptions: a name given twice, a custom attribute marked
// Required, a standard attribute given another type or made developer-only,
// a change to sub, bad constraints, or more than 50 custom attributes.
func buildSchema(in []cognito.SchemaAttribute) ([]cognito.SchemaAttribute, error) {
	schema := standardSchema()
	seen := make(map[string]bool, len(in))
	for _, a := range in {
		if seen[a.Name] {
			return nil, cognito.ErrInvalidParameter("%s: Existing attribute already has name %s.", a.Name, a.Name)
		}
		seen[a.Name] = true
		if !isStandardAttribute(a.Name) {
			c, err := customAttribute(a)
			if err != nil {
				return nil, err
			}
			if err := addCustom(&schema, c); err != nil {
				return nil, err
			}
			continue
		}
		for i := range schema {
			if schema[i].Name == a.Name {
				if err := adjustStandard(&schema[i], a); err != nil {
					return nil, err
				}
			}
		}
	}
	return schema, nil
}

// adjustStandard applies a Schema entry to the standard attribute std:
// Required, Mutable and the constraint members that are given replace the
// defaults; everything else stays.
func adjustStandard(std *cognito.SchemaAttribute, a cognito.SchemaAttribute) error {
	if a.AttributeDataType != "" && a.AttributeDataType != std.AttributeDataType {
		return cognito.ErrInvalidParameter("%s: the AttributeDataType of a standard attribute cannot be changed (it is %s).", a.Name, std.AttributeDataType)
	}
	if a.DeveloperOnlyAttribute != nil && *a.DeveloperOnlyAttribute {
		return cognito.ErrInvalidParameter("%s: a standard attribute cannot be a developer-only attribute.", a.Name)
	}
	if std.Name == "sub" {
		if (a.Mutable != nil && *a.Mutable) || (a.Required != nil && !*a.Required) {
			return cognito.ErrInvalidParameter("sub: the sub attribute cannot be changed.")
		}
		return nil
	}
	if err := checkConstraints(a); err != nil {
		return err
	}
	if a.Mutable != nil {
		std.Mutable = boolRef(*a.Mutable)
	}
	if a.Required != nil {
		std.Required = boolRef(*a.Required)
	}
	if c := a.StringAttributeConstraints; c != nil && std.StringAttributeConstraints != nil {
		if c.MinLength != nil {
			std.StringAttributeConstraints.MinLength = strRef(*c.MinLength)
		}
		if c.MaxLength != nil {
			std.StringAttributeConstraints.MaxLength = strRef(*c.MaxLength)
		}
	}
	if c := a.NumberAttributeConstraints; c != nil && std.AttributeDataType == typeNumber {
		if std.NumberAttributeConstraints == nil {
			std.NumberAttributeConstraints = &cognito.NumberAttributeConstraints{}
		}
		if c.MinValue != nil {
			std.NumberAttributeConstraints.MinValue = strRef(*c.MinValue)
		}
		if c.MaxValue != nil {
			std.NumberAttributeConstraints.MaxValue = strRef(*c.MaxValue)
		}
	}
	return nil
}

// customAttribute turns a SchemaAttributeType naming a custom attribute
// into its stored form: Name "custom:<Name>" or, when
// DeveloperOnlyAttribute, "dev:custom:<Name>"; every flag set.
//
// [?] Mutable defaults to true when omitted: api.md §3.5 leaves it open
// (the AWS CDK sends false, moto assumes true); an attribute nobody can
// change after sign-up is the more surprising default.
// [?] AttributeDataType defaults to String when omitted.
func customAttribute(a cognito.SchemaAttribute) (cognito.SchemaAttribute, error) {
	if n := utf8.RuneCountInString(a.Name); n < 1 || n > 20 || !customNameRE.MatchString(a.Name) {
		return a, cognito.ErrInvalidParameter("%q: custom attribute names must be 1 to 20 characters without whitespace.", a.Name)
	}
	if a.Required != nil && *a.Required {
		return a, cognito.ErrInvalidParameter("Required custom attributes are not supported currently.")
	}
	if err := checkConstraints(a); err != nil {
		return a, err
	}
	c := cognito.SchemaAttribute{
		Name:                   "custom:" + a.Name,
		AttributeDataType:      a.AttributeDataType,
		DeveloperOnlyAttribute: boolRef(a.DeveloperOnlyAttribute != nil && *a.DeveloperOnlyAttribute),
		Mutable:                boolRef(a.Mutable == nil || *a.Mutable),
		Required:               boolRef(false),
	}
	if *c.DeveloperOnlyAttribute {
		c.Name = "dev:custom:" + a.Name
	}
	if c.AttributeDataType == "" {
		c.AttributeDataType = typeString
	}
	switch c.AttributeDataType {
	case typeString:
		if s := a.StringAttributeConstraints; s != nil {
			c.StringAttributeConstraints = &cognito.StringAttributeConstraints{MinLength: s.MinLength, MaxLength: s.MaxLength}
		}
	case typeNumber:
		if n := a.NumberAttributeConstraints; n != nil {
			c.NumberAttributeConstraints = &cognito.NumberAttributeConstraints{MinValue: n.MinValue, MaxValue: n.MaxValue}
		}
	}
	return c, nil
}

// addCustom appends the custom attribute c to schema unless an attribute
// with the same base name (custom: or dev:custom:) exists or the pool
// already holds maxCustomAttributes of them.
func addCustom(schema *[]cognito.SchemaAttribute, c cognito.SchemaAttribute) error {
	base := strings.TrimPrefix(c.Name, "dev:")
	count := 0
	for _, a := range *schema {
		if strings.TrimPrefix(a.Name, "dev:") == base {
			return cognito.ErrInvalidParameter("%s: Existing attribute already has name %s.", c.Name, a.Name)
		}
		if strings.HasPrefix(a.Name, "custom:") || strings.HasPrefix(a.Name, "dev:custom:") {
			count++
		}
	}
	if count >= maxCustomAttributes {
		return cognito.ErrInvalidParameter("A user pool can have at most %d custom attributes.", maxCustomAttributes)
	}
	*schema = append(*schema, c)
	return nil
}

// checkConstraints validates the type and constraints of a Schema entry:
// string lengths are integers with 0 ≤ MinLength ≤ MaxLength ≤ 2048, number
// bounds are integers with MinValue ≤ MaxValue.
func checkConstraints(a cognito.SchemaAttribute) error {
	switch a.AttributeDataType {
	case "", typeString, typeNumber, typeDateTime, typeBoolean:
	default:
		return cognito.ErrInvalidParameter("%s: AttributeDataType must be one of String, Number, DateTime, Boolean.", a.Name)
	}
	if s := a.StringAttributeConstraints; s != nil {
		lo, okLo := constraintInt(s.MinLength, 0)
		hi, okHi := constraintInt(s.MaxLength, maxAttributeValue)
		if !okLo || !okHi || lo < 0 || hi > maxAttributeValue || lo > hi {
			return cognito.ErrInvalidParameter("%s: StringAttributeConstraints must be integers with 0 <= MinLength <= MaxLength <= %d.", a.Name, maxAttributeValue)
		}
	}
	if n := a.NumberAttributeConstraints; n != nil {
		lo, okLo := constraintInt(n.MinValue, -1<<62)
		hi, okHi := constraintInt(n.MaxValue, 1<<62)
		if !okLo || !okHi || lo > hi {
			return cognito.ErrInvalidParameter("%s: NumberAttributeConstraints must be integers with MinValue <= MaxValue.", a.Name)
		}
	}
	return nil
}

// constraintInt parses an optional integer constraint, def when absent.
func constraintInt(s *string, def int64) (int64, bool) {
	if s == nil {
		return def, true
	}
	v, err := strconv.ParseInt(*s, 10, 64)
	return v, err == nil
}

// AddCustomAttributesInput is the request of AddCustomAttributes.
type AddCustomAttributesInput struct {
	UserPoolId       string                    `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	CustomAttributes []cognito.SchemaAttribute `json:"CustomAttributes" aws:"required,len=1-25"`
}

// AddCustomAttributes adds custom attributes to a pool's schema, each named
// "custom:<Name>" ("dev:custom:<Name>" when DeveloperOnlyAttribute). The
// change is atomic: either every attribute is added or none.
//
// Errors: ResourceNotFoundException for an unknown pool;
// InvalidParameterException for a name already in the schema (`custom:<n>:
// Existing attribute already has name custom:<n>.`), a Required attribute,
// bad constraints, or more than 50 custom attributes in total. [?] The last
// is an InvalidParameterException because the model declares no
// LimitExceededException for this operation.
func (s *Service) AddCustomAttributes(ctx context.Context, in *AddCustomAttributesInput) (*Empty, error) {
	if len(in.CustomAttributes) == 0 || len(in.CustomAttributes) > 25 {
		return nil, cognito.ErrInvalidParameter("CustomAttributes must hold 1 to 25 attributes.")
	}
	attrs := make([]cognito.SchemaAttribute, 0, len(in.CustomAttributes))
	for _, a := range in.CustomAttributes {
		c, err := customAttribute(a)
		if err != nil {
			return nil, err
		}
		attrs = append(attrs, c)
	}
	now := cognito.At(s.now())
	err := s.st.UpdatePool(ctx, in.UserPoolId, func(p *cognito.UserPool) error {
		schema := append([]cognito.SchemaAttribute(nil), p.SchemaAttributes...)
		for _, c := range attrs {
			if err := addCustom(&schema, c); err != nil {
				return err
			}
		}
		p.SchemaAttributes = schema
		p.LastModifiedDate = now
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, cognito.ErrPoolNotFound(in.UserPoolId)
	}
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

func boolRef(b bool) *bool    { return &b }
func strRef(s string) *string { return &s }
func intRef(i int) *int       { return &i }
