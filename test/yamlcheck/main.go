// yamlcheck reads YAML documents the way kubectl, Argo CD and Flux read them (sigs.k8s.io/yaml:
// YAML to JSON through go-yaml) and prints the JSON, for the round-trip property test
// (test/yaml-roundtrip/). Input: one JSON string per line (a YAML document). Output: one line
// per input, {"json": <the document as JSON>} or {"error": "..."}.
package main

import (
	"bufio"
	"encoding/json"
	"os"

	"sigs.k8s.io/yaml"
)

type result struct {
	JSON  json.RawMessage `json:"json,omitempty"`
	Error string          `json:"error,omitempty"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for in.Scan() {
		var doc string
		var r result
		if err := json.Unmarshal(in.Bytes(), &doc); err != nil {
			r.Error = "bad input line: " + err.Error()
		} else if j, err := yaml.YAMLToJSON([]byte(doc)); err != nil {
			r.Error = err.Error()
		} else {
			r.JSON = j
		}
		if err := enc.Encode(r); err != nil {
			panic(err)
		}
	}
	if err := in.Err(); err != nil {
		panic(err)
	}
}
