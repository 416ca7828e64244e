package e2e

import (
	"strings"
	"testing"
)

// introspectionQuery reads every element of the schema that can carry a description.
const introspectionQuery = `{ __schema {
	types { name kind description
		fields(includeDeprecated: true) { name description args { name description } }
		inputFields { name description }
		enumValues(includeDeprecated: true) { name description } }
	directives { name description args { name description } } } }`

// builtIn are the names GraphQL itself defines: the spec's scalars and directives. Their
// descriptions are the spec's business, not the schema's.
var builtIn = map[string]bool{
	"Int": true, "Float": true, "String": true, "Boolean": true, "ID": true,
	"include": true, "skip": true, "deprecated": true, "specifiedBy": true, "oneOf": true, "defer": true, "stream": true,
}

// TestSchemaDescribesEverything: GraphiQL is the API's documentation, so every type, field,
// argument, input field and enum value the server serves has a description. The check runs
// over introspection of the real handler, so it covers whatever the schema grows into.
func TestSchemaDescribesEverything(t *testing.T) {
	s := NewServer(t)
	type named struct{ Name, Description string }
	type field struct {
		Name, Description string
		Args              []named
	}
	var out struct {
		Schema struct {
			Types []struct {
				Name, Kind, Description string
				Fields                  []field
				InputFields             []named
				EnumValues              []named
			}
			Directives []field
		} `json:"__schema"`
	}
	s.Do(t, s.Admin(t), introspectionQuery, nil).Decode(t, &out)
	if len(out.Schema.Types) < 20 {
		t.Fatalf("introspection: got %d types, want the whole schema", len(out.Schema.Types))
	}
	var missing []string
	undescribed := func(desc, what string) {
		if strings.TrimSpace(desc) == "" {
			missing = append(missing, what)
		}
	}
	for _, typ := range out.Schema.Types {
		if strings.HasPrefix(typ.Name, "__") || builtIn[typ.Name] {
			continue
		}
		undescribed(typ.Description, strings.ToLower(typ.Kind)+" "+typ.Name)
		for _, f := range typ.Fields {
			undescribed(f.Description, "field "+typ.Name+"."+f.Name)
			for _, a := range f.Args {
				undescribed(a.Description, "argument "+typ.Name+"."+f.Name+"("+a.Name+")")
			}
		}
		for _, f := range typ.InputFields {
			undescribed(f.Description, "input field "+typ.Name+"."+f.Name)
		}
		for _, v := range typ.EnumValues {
			undescribed(v.Description, "enum value "+typ.Name+"."+v.Name)
		}
	}
	for _, d := range out.Schema.Directives {
		if builtIn[d.Name] {
			continue
		}
		undescribed(d.Description, "directive @"+d.Name)
		for _, a := range d.Args {
			undescribed(a.Description, "argument @"+d.Name+"("+a.Name+")")
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d schema elements have no description; add a doc string to each in schema.graphqls:\n%s",
			len(missing), strings.Join(missing, "\n"))
	}
}
