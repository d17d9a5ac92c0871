package connection

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/koppel-sync/koppel/internal/settings"
)

var (
	yamlUnknownField = regexp.MustCompile("^(line \\d+): field (\\S+) not found in type (\\S+)$")
	yamlWrongType    = regexp.MustCompile("^(line \\d+): cannot unmarshal !!\\w+ `(.*)` into (\\S+)$")
)

// explainYAMLError rewrites the decoder's type errors, which name Go types
// such as settings.Settings, into messages that name the key or value in
// the file and say what is allowed there.
func explainYAMLError(err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err
	}

	lines := make([]string, 0, len(te.Errors))
	for _, msg := range te.Errors {
		lines = append(lines, explainYAMLLine(msg))
	}
	return errors.New(strings.Join(lines, "; "))
}

func explainYAMLLine(msg string) string {
	if m := yamlUnknownField.FindStringSubmatch(msg); m != nil {
		section, keys := "mappings", yamlKeys(reflect.TypeFor[DocumentMapping]())
		if strings.HasSuffix(m[3], "settings.Settings") {
			section, keys = "settings", yamlKeys(reflect.TypeFor[settings.Settings]())
		}
		return fmt.Sprintf("%s: unknown key %q under %s; valid keys are %s", m[1], m[2], section, strings.Join(keys, ", "))
	}

	if m := yamlWrongType.FindStringSubmatch(msg); m != nil {
		hint := "use a value of the documented type"
		switch {
		case m[3] == "bool":
			hint = "use true or false"
		case strings.HasPrefix(m[3], "int"), strings.HasPrefix(m[3], "uint"):
			hint = "use a whole number"
		case strings.HasPrefix(m[3], "[]"):
			hint = "use a list"
		case m[3] == "string" || strings.HasSuffix(m[3], "Rule"):
			hint = "use a single text value"
		}
		return fmt.Sprintf("%s: invalid value %q: %s", m[1], m[2], hint)
	}
	return msg
}

// yamlKeys returns the YAML keys of a struct's fields, in field order.
func yamlKeys(t reflect.Type) []string {
	var keys []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		keys = append(keys, name)
	}
	return keys
}
