package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An interrupt while decide waits for its request on standard input ends
// the command with a short message and exit code 130, not a decision.
func TestInterruptWhileReadingARequest(t *testing.T) {
	stdin, typing := io.Pipe()
	defer typing.Close()
	var out, errOut bytes.Buffer
	code := make(chan int, 1)
	go func() { code <- runInterruptible([]string{"decide"}, stdin, &out, &errOut) }()

	// Once the command has read a byte it is running, with the interrupt caught.
	_, err := typing.Write([]byte("{"))
	require.NoError(t, err)
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGINT))

	assert.Equal(t, 130, <-code)
	assert.Equal(t, "checkin: interrupted\n", errOut.String())
	assert.Empty(t, out.String())
}

// A command whose context is cancelled says so, whatever it was doing, and
// prints no result.
func TestCancelledCommandsSaySo(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, args := range [][]string{{"decide"}, {"check"}, {"diff", "-n", "10"}} {
		var out, errOut bytes.Buffer
		code := run(ctx, args, bytes.NewReader([]byte(`{}`)), &out, &errOut)
		assert.Equal(t, 130, code, "%s", args)
		assert.Equal(t, "checkin: interrupted\n", errOut.String(), "%s", args)
		assert.Empty(t, out.String(), "%s", args)
	}
}

// Every error is written once, by exit, as "checkin: <error>".
func TestErrorsAreWrittenOnce(t *testing.T) {
	t.Parallel()
	code, out, errOut := cli(t, "", "explain", "testdata/no-such-file.json")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Regexp(t, `^checkin: open testdata/no-such-file.json: no such file or directory\n$`, errOut)

	code, _, errOut = cli(t, "", "frobnicate")
	assert.Equal(t, 2, code)
	assert.Regexp(t, `^checkin: unknown command "frobnicate"\n\nusage: checkin COMMAND`, errOut)
}
