package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/zhuguan/zhuguan/auth"
	"github.com/zhuguan/zhuguan/service"
)

// benchExport downloads admin's export of the whole employment history (every student's rows in
// every column: 140,000 rows of the seed) once, reading it as a spreadsheet would, and prints the
// rows, the time, rows per second and the server's resident memory before, during (sampled from
// /proc every 20 ms) and at its high-water mark. It fails when the file does not have the rows
// the database has.
func benchExport(ctx context.Context, d *sqlx.DB, srv *server, v *auth.Verifier) error {
	var want int
	if err := d.GetContext(ctx, &want, `SELECT count(*) FROM applications WHERE status IN (`+service.QuoteSQL(service.HistoryStatuses...)+`)`); err != nil {
		return err
	}
	tok, _ := v.Sign(auth.Principal{Subject: "bench", Role: auth.RoleAdmin}, time.Hour)
	before, hwmBefore := srv.memory()

	peakRSS := srv.samplePeakRSS()

	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.url+"/export/history.csv", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	t0 := time.Now()
	records, size, err := readCSV(req, peakRSS)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	elapsed := time.Since(t0)
	peak := peakRSS()
	_, hwm := srv.memory()
	rows := records - 1 // the header row
	fmt.Printf("export of the whole history (admin, all 11 columns): %d rows, %.1f MB in %s\n",
		rows, float64(size)/1e6, elapsed.Round(time.Millisecond))
	fmt.Printf("  rows/s: %.0f   MB/s: %.1f\n", float64(rows)/elapsed.Seconds(), float64(size)/1e6/elapsed.Seconds())
	fmt.Printf("  server RSS: %.1f MB before, peak %.1f MB during (sampled every 20 ms); VmHWM %.1f MB before, %.1f MB after\n",
		mb(before), mb(peak), mb(hwmBefore), mb(hwm))
	if rows != want {
		return fmt.Errorf("export: got %d rows, want the %d the database has", rows, want)
	}
	return nil
}

func mb(kb int64) float64 { return float64(kb) / 1024 }

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// samplePeakRSS samples the server's resident set every 20 ms until the function it returns is
// called, which stops the sampling and returns the peak, in kB.
func (s *server) samplePeakRSS() func() int64 {
	var peak int64
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			if rss, _ := s.memory(); rss > peak {
				peak = rss
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	var once sync.Once
	return func() int64 {
		once.Do(func() { close(stop); sampler.Wait() })
		return peak
	}
}

// memory is the server process's resident set and its high-water mark, in kB, from /proc; 0
// when they cannot be read.
func (s *server) memory() (rss, hwm int64) {
	v := procStatus(s.cmd.Process.Pid, "VmRSS", "VmHWM")
	return v[0], v[1]
}

// readCSV sends req, with no client timeout (an export takes as long as it takes), and reads the
// answer record by record as a spreadsheet would; it returns the records (the header included)
// and the bytes read. peakRSS ends the caller's memory sampling when the download fails.
func readCSV(req *http.Request, peakRSS func() int64) (records int, size int64, err error) {
	res, err := (&http.Client{}).Do(req)
	if err != nil {
		peakRSS()
		return 0, 0, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		peakRSS()
		b, _ := io.ReadAll(res.Body)
		return 0, 0, fmt.Errorf("status %d: %s", res.StatusCode, b)
	}
	counted := &countingReader{r: res.Body}
	r := csv.NewReader(bufio.NewReaderSize(counted, 64<<10))
	r.ReuseRecord = true
	for {
		if _, err := r.Read(); errors.Is(err, io.EOF) {
			return records, counted.n, nil
		} else if err != nil {
			peakRSS()
			return records, counted.n, fmt.Errorf("record %d: %w", records, err)
		}
		records++
	}
}
