// Package junit writes JUnit XML reports, the format CI dashboards read.
package junit

import (
	"encoding/xml"
	"fmt"
	"io"
)

// Suite is one test suite; Time attributes are left out when nil.
type Suite struct {
	XMLName  xml.Name `xml:"testsuite"`
	Name     string   `xml:"name,attr"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Time     *float64 `xml:"time,attr,omitempty"` // seconds
	Cases    []Case   `xml:"testcase"`
}

// Case is one test case: a file validated, a webhook delivered.
type Case struct {
	Name      string   `xml:"name,attr"`
	Classname string   `xml:"classname,attr"`
	Time      *float64 `xml:"time,attr,omitempty"` // seconds
	Failure   *Failure `xml:"failure,omitempty"`
	SystemOut string   `xml:"system-out,omitempty"` // what a case printed: notes that do not fail it
}

// Failure says why a case failed.
type Failure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// Write writes the suite inside <testsuites>, after the XML header.
func Write(w io.Writer, s Suite) error {
	b, err := xml.MarshalIndent(struct {
		XMLName xml.Name `xml:"testsuites"`
		Suite   Suite
	}{Suite: s}, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s%s\n", xml.Header, b)
	return err
}
