//go:build !race

package checkin_test

const raceEnabled = false
