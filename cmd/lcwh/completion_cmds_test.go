package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// bashCompletion is where Debian's bash-completion package puts the
// functions lcwh's bash script needs (_get_comp_words_by_ref).
const bashCompletion = "/usr/share/bash-completion/bash_completion"

// Script commands and conditions for shell completion:
//
//	[bash-completion]
//	    bash and the bash-completion package are installed; CI (.ci/run)
//	    installs them and sets LCWH_REQUIRE_BASH_COMPLETION=1, which makes
//	    the condition true anyway, so a missing package fails there.
//	bashcomplete WORD...
//	    completes the last WORD as bash does on TAB, with the completion
//	    script `lcwh completion bash` prints loaded into an interactive
//	    shell; stdout holds one candidate per line.
func init() {
	scriptCmds["bashcomplete"] = cmdBashComplete
	scriptConds["bash-completion"] = func() bool {
		_, err := os.Stat(bashCompletion)
		return err == nil || os.Getenv("LCWH_REQUIRE_BASH_COMPLETION") == "1"
	}
}

func cmdBashComplete(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: bashcomplete WORD...")
	}
	if _, err := os.Stat(bashCompletion); err != nil {
		ts.Fatalf("%v: install bash-completion (apt-get install bash-completion)", err)
	}
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	script := fmt.Sprintf(`source %s
source <(lcwh completion bash)
COMP_WORDS=(%s)
COMP_CWORD=%d
COMP_LINE="${COMP_WORDS[*]}"
COMP_POINT=${#COMP_LINE}
__start_lcwh
printf '%%s\n' "${COMPREPLY[@]}"
`, bashCompletion, strings.Join(quoted, " "), len(args)-1)
	path := filepath.Join(ts.MkAbs("."), ".bashcomplete.sh")
	ts.Check(os.WriteFile(path, []byte(script), 0o644))
	ts.Check(ts.Exec("bash", path))
}
