package cli

import (
	"bytes"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/config"
	"github.com/lcwh/lcwh/pkg/iostreams"
)

func testRoot() *cobra.Command {
	var buf bytes.Buffer
	f := &cmdutil.Factory{
		IO:     &iostreams.IOStreams{In: &buf, Out: &buf, ErrOut: &buf},
		Getenv: func(string) string { return "" },
	}
	return NewCmdRoot(f)
}

// TestEveryCommandHasExamples keeps `--help` useful as commands are added:
// every runnable command (and every group) shows at least one example
// that invokes lcwh.
func TestEveryCommandHasExamples(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden || c.IsAdditionalHelpTopicCommand() || c.Name() == "help" {
			return
		}
		if !strings.Contains(c.Example, "lcwh") {
			t.Errorf("%q has no realistic Example (one that runs lcwh)", c.CommandPath())
		}
		if c.Short == "" {
			t.Errorf("%q has no Short description", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(testRoot())
}

// TestEnvironmentTopicListsEveryFlag: `lcwh help environment` names the
// LCWH_* variable of every flag in the tree, so it cannot drift.
func TestEnvironmentTopicListsEveryFlag(t *testing.T) {
	root := testRoot()
	env, _, err := root.Find([]string{"environment"})
	if err != nil || env == root {
		t.Fatal("no environment topic")
	}
	seen := 0
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" {
			return
		}
		c.LocalFlags().VisitAll(func(fl *pflag.Flag) {
			if fl.Name == "help" || fl.Name == "version" {
				return
			}
			seen++
			if name := config.EnvName(config.Key(fl.Name)); !strings.Contains(env.Long, name) {
				t.Errorf("environment topic lacks %s (flag --%s of %q)", name, fl.Name, c.CommandPath())
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if seen < 5 {
		t.Fatalf("walked only %d flags", seen)
	}
	for _, v := range []string{"LCWH_CONFIG", "LCWH_SECRETS", "LCWH_SECRET_FILE", "NO_COLOR", "XDG_CONFIG_HOME"} {
		if !strings.Contains(env.Long, v) {
			t.Errorf("environment topic lacks %s", v)
		}
	}
}

func TestExitCodesTopic(t *testing.T) {
	root := testRoot()
	topic, _, err := root.Find([]string{"exit-codes"})
	if err != nil || topic == root {
		t.Fatal("no exit-codes topic")
	}
	for _, c := range cmdutil.ExitCodes {
		if !strings.Contains(topic.Long, strconv.Itoa(c.Code)+" ") || !strings.Contains(topic.Long, c.Meaning) {
			t.Errorf("exit-codes topic lacks %d %s", c.Code, c.Meaning)
		}
	}
}

// TestFlagsComplete: the flags whose values lcwh knows complete them:
// every enum flag with its own values, and action names.
func TestFlagsComplete(t *testing.T) {
	root := testRoot()
	enums := 0
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.LocalFlags().VisitAll(func(fl *pflag.Flag) {
			values := cmdutil.EnumValues(fl)
			if values == nil && fl.Name != "action" && fl.Name != "actions" && fl.Name != "api-version" && fl.Name != "format" {
				return
			}
			complete, ok := c.GetFlagCompletionFunc(fl.Name)
			if !ok {
				t.Errorf("%q: --%s has no completion (use cmdutil.StringEnumFlag / cmdflags.Actions)", c.CommandPath(), fl.Name)
				return
			}
			if values != nil {
				enums++
				if got, _ := complete(c, nil, ""); !reflect.DeepEqual(got, values) {
					t.Errorf("%q: --%s completes %q, want %q", c.CommandPath(), fl.Name, got, values)
				}
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if enums < 10 {
		t.Errorf("only %d enum flags found", enums)
	}
}

// TestEnvironmentTopicSaysEachCommandsOwn: a variable read by several
// commands that define its flag differently (LCWH_FORMAT, LCWH_SECRET)
// gives each command's usage and default, and no line says its default
// twice.
func TestEnvironmentTopicSaysEachCommandsOwn(t *testing.T) {
	root := testRoot()
	env, _, err := root.Find([]string{"environment"})
	if err != nil || env == root {
		t.Fatal("no environment topic")
	}
	blocks := map[string][]string{} // variable -> its lines
	var current string
	for _, l := range strings.Split(env.Long, "\n") {
		if strings.Count(l, "(default") > 1 {
			t.Errorf("a default said twice: %q", l)
		}
		switch {
		case strings.HasPrefix(l, "  LCWH_"):
			current = strings.Fields(l)[0]
			blocks[current] = []string{strings.TrimSpace(strings.TrimPrefix(l, "  "+current))}
		case current != "" && strings.HasPrefix(l, strings.Repeat(" ", 25)):
			blocks[current] = append(blocks[current], strings.TrimSpace(l))
		default:
			current = ""
		}
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" {
			return
		}
		name := strings.TrimPrefix(c.CommandPath(), "lcwh ")
		c.LocalFlags().VisitAll(func(fl *pflag.Flag) {
			if !config.Configurable(fl.Name) {
				return
			}
			_, usage := pflag.UnquoteUsage(fl)
			want := usage
			if def := fl.DefValue; def != "" && def != "false" && def != "0" && def != "0s" && def != "[]" {
				want += " (default " + def + ")"
			}
			v := config.EnvName(config.Key(fl.Name))
			lines := blocks[v]
			for _, l := range lines {
				if len(lines) == 1 && l == want {
					return
				}
				cmds, text, _ := strings.Cut(l, ": ")
				if text == want && slices.Contains(strings.Split(cmds, ", "), name) {
					return
				}
			}
			t.Errorf("%s: no line says %q for %s:\n%s", v, want, name, strings.Join(lines, "\n"))
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}
