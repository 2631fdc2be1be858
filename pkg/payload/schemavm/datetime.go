// Portions of this file (validTime and the slow path of validDateTime) are
// ported from santhosh-tekuri/jsonschema v6.0.3, format.go,
// Copyright (c) Santhosh Kumar Tekuri, licensed under the Apache License,
// Version 2.0 (LICENSES/Apache-2.0.txt); changed by the lcwh authors as
// NOTICE describes.

package schemavm

import (
	"strconv"
	"strings"
	"time"
)

// validDateTime is format "date-time" exactly as santhosh-tekuri/jsonschema
// v6 checks it (RFC 3339, leap seconds only at 23:59 UTC). The common shape
// (digits, 'T', optional fraction, 'Z') is checked without allocating; any
// other string takes the reference algorithm, ported from
// santhosh-tekuri/jsonschema/v6 format.go (Apache License 2.0).
func validDateTime(s string) bool {
	if ok, decided := fastDateTime(s); decided {
		return ok
	}
	if len(s) < 20 {
		return false
	}
	if s[10] != 't' && s[10] != 'T' {
		return false
	}
	if _, err := parseDate(s[:10]); err != nil {
		return false
	}
	return validTime(s[11:])
}

func parseDate(s string) (time.Time, error) { return time.Parse("2006-01-02", s) }

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// fastDateTime decides "YYYY-MM-DDTHH:MM:SS[.fff]Z" strings; decided is
// false for anything else.
func fastDateTime(s string) (ok, decided bool) {
	if len(s) < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':' {
		return false, false
	}
	last := s[len(s)-1]
	if last != 'Z' && last != 'z' {
		return false, false
	}
	y, ok1 := digits(s[0:4])
	mo, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	h, ok4 := digits(s[11:13])
	mi, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return false, false
	}
	rest := s[19 : len(s)-1]
	if rest != "" {
		if rest[0] != '.' || len(rest) < 2 {
			return false, false
		}
		if _, ok := digits(rest[1:]); !ok {
			return false, false
		}
	}
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y) {
		return false, true
	}
	if h > 23 || mi > 59 || sec > 60 {
		return false, true
	}
	if sec == 60 && (h != 23 || mi != 59) {
		return false, true
	}
	return true, true
}

func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func validTime(str string) bool {
	if len(str) < 9 {
		return false
	}
	if str[2] != ':' || str[5] != ':' {
		return false
	}
	var hms []int
	for _, tok := range strings.SplitN(str[:8], ":", 3) {
		i, err := strconv.Atoi(tok)
		if err != nil || i < 0 {
			return false
		}
		hms = append(hms, i)
	}
	if len(hms) != 3 {
		return false
	}
	h, m, s := hms[0], hms[1], hms[2]
	if h > 23 || m > 59 || s > 60 {
		return false
	}
	str = str[8:]
	if rem, ok := strings.CutPrefix(str, "."); ok {
		numDigits := 0
		for _, ch := range rem {
			if ch >= '0' && ch <= '9' {
				numDigits++
			} else {
				break
			}
		}
		if numDigits == 0 {
			return false
		}
		str = rem[numDigits:]
	}
	if str != "z" && str != "Z" {
		if len(str) != 6 {
			return false
		}
		var sign int
		switch str[0] {
		case '+':
			sign = -1
		case '-':
			sign = +1
		default:
			return false
		}
		str = str[1:]
		if str[2] != ':' {
			return false
		}
		var zhm []int
		for _, tok := range strings.SplitN(str, ":", 2) {
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 {
				return false
			}
			zhm = append(zhm, i)
		}
		zh, zm := zhm[0], zhm[1]
		if zh > 23 || zm > 59 {
			return false
		}
		hm := (h*60 + m) + sign*(zh*60+zm)
		if hm < 0 {
			hm += 24 * 60
		}
		h, m = hm/60, hm%60
	}
	if s >= 60 && (h != 23 || m != 59) {
		return false
	}
	return true
}
