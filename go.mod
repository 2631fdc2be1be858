module github.com/lcwh/lcwh

go 1.26.8
