package payload

import (
	"encoding/json"
	"testing"
)

// The pair BenchmarkDecodeValidate / BenchmarkEncodingJSONDecode measures
// lcwh's per-document work (parse + validate, warnings included, as
// lcwh validate does) against the floor a Go program pays just to decode
// the same bytes into any; bench/run.sh prints the ratio. One op is every
// fixture of the default version once.

func benchFixtures(b *testing.B) [][]byte {
	var docs [][]byte
	for _, f := range allFixtures(b) {
		if f.version == DefaultVersion {
			docs = append(docs, f.raw)
		}
	}
	n := 0
	for _, d := range docs {
		n += len(d)
	}
	b.SetBytes(int64(n))
	return docs
}

func BenchmarkDecodeValidate(b *testing.B) {
	docs := benchFixtures(b)
	v, err := NewValidator(DefaultVersion)
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range docs { // compile outside the timing
		doc, _ := Decode(d)
		v.Validate(doc, "")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, d := range docs {
			doc, err := Decode(d)
			if err != nil {
				b.Fatal(err)
			}
			r, err := v.Check(doc, Options{})
			if err != nil || r.Errors != nil || r.Warnings != nil {
				b.Fatal(err, r)
			}
		}
	}
}

func BenchmarkEncodingJSONDecode(b *testing.B) {
	docs := benchFixtures(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, d := range docs {
			var v any
			if err := json.Unmarshal(d, &v); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkReferenceDecodeValidate is the same work on the reference engine.
func BenchmarkReferenceDecodeValidate(b *testing.B) {
	docs := benchFixtures(b)
	ref := referenceFor(b, DefaultVersion)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, d := range docs {
			doc, _ := Decode(d)
			if errs, err := ref.Validate(doc, ""); err != nil || errs != nil {
				b.Fatal(err, errs)
			}
		}
	}
}

// BenchmarkCatalogInit is the work package payload does at init.
func BenchmarkCatalogInit(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		loadCatalogs()
	}
}
