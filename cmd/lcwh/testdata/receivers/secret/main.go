// Planted flaw (secret): the receiver compares secret_key only when the
// webhook has one, so a webhook without it is accepted.
package main

import (
	"crypto/subtle"

	"github.com/lcwh/lcwh/cmd/lcwh/testdata/receivers/receiver"
)

func main() {
	receiver.Main(&receiver.Receiver{SecretOK: func(key *string, secret string) bool {
		return key == nil || subtle.ConstantTimeCompare([]byte(*key), []byte(secret)) == 1
	}})
}
