// Command gendocs writes lcwh's Markdown reference and man pages from the
// command tree, so the commands' help text is the single source:
//
//	go run ./internal/gendocs -md docs/reference -man man
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/lcwh/lcwh/pkg/cli"
	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/iostreams"
)

func main() {
	md := flag.String("md", "", "write Markdown pages to this directory")
	man := flag.String("man", "", "write man pages (section 1) to this directory")
	flag.Parse()
	if err := run(*md, *man); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}

func run(md, man string) error {
	root := Root()
	if md != "" {
		if err := os.MkdirAll(md, 0o755); err != nil {
			return err
		}
		if err := doc.GenMarkdownTree(root, md); err != nil {
			return err
		}
		for _, topic := range topics(root) {
			page := fmt.Sprintf("## lcwh help %s\n\n%s\n\n```\n%s\n```\n\n### SEE ALSO\n\n* [lcwh](lcwh.md)\t - %s\n",
				topic.Name(), topic.Short, topic.Long, root.Short)
			if err := os.WriteFile(filepath.Join(md, "lcwh_help_"+topic.Name()+".md"), []byte(page), 0o644); err != nil {
				return err
			}
		}
	}
	if man != "" {
		if err := os.MkdirAll(man, 0o755); err != nil {
			return err
		}
		date := time.Now()
		if epoch := os.Getenv("SOURCE_DATE_EPOCH"); epoch != "" {
			var sec int64
			fmt.Sscanf(epoch, "%d", &sec)
			date = time.Unix(sec, 0).UTC()
		}
		header := &doc.GenManHeader{Title: "LCWH", Section: "1", Source: "lcwh", Manual: "lcwh manual", Date: &date}
		if err := doc.GenManTree(root, header, man); err != nil {
			return err
		}
		for _, topic := range topics(root) {
			var b bytes.Buffer
			h := *header
			if err := doc.GenMan(topic, &h, &b); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(man, "lcwh-"+topic.Name()+".1"), b.Bytes(), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// topics are the help topics (lcwh help exit-codes), which cobra's
// generators skip.
func topics(root *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	for _, c := range root.Commands() {
		if c.IsAdditionalHelpTopicCommand() {
			out = append(out, c)
		}
	}
	return out
}

// Root builds the real command tree with an empty environment, so the
// output does not depend on who runs the generator.
func Root() *cobra.Command {
	var buf bytes.Buffer
	f := &cmdutil.Factory{
		IO:     &iostreams.IOStreams{In: &buf, Out: &buf, ErrOut: &buf},
		Getenv: func(string) string { return "" },
	}
	root := cli.NewCmdRoot(f)
	root.DisableAutoGenTag = true
	return root
}
