package jobs_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard/mailin"
	"switchboard/store"
)

// BenchmarkLargeAttachmentRSS measures the process's peak RSS while one
// message with a 25 MB attachment goes the whole way: SaveFetched (the raw
// bytes into PostgreSQL), Process (mailin.Parse, classify, the
// acknowledgement, the story job enqueued) and BuildStory (the files to the
// blob store, previews for images). DESIGN.md's target is under 150 MB.
// The peak (VmHWM) is reset before each message through
// /proc/self/clear_refs, so each figure is that message's own. Run alone:
//
//	go test ./jobs -run '^$' -bench LargeAttachmentRSS -benchtime 1x
//
// It reports peak-RSS-MB (VmHWM), base-RSS-MB (VmRSS before the message,
// with the generated raw message already in memory) and raw-MB.
func BenchmarkLargeAttachmentRSS(b *testing.B) {
	for _, c := range []struct {
		name string
		file func(b *testing.B) (name, contentType string, data []byte)
	}{
		{"video-25MB", func(*testing.B) (string, string, []byte) { return "rally.mp4", "video/mp4", fakeVideo(25 << 20) }},
		{"jpeg-25MB", func(b *testing.B) (string, string, []byte) { return "rally.jpg", "image/jpeg", noisyJPEG(b, 25<<20) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			e := newStoryEnv(b)
			ctx := context.Background()
			if err := e.st.SetMailboxRole(ctx, "bench:press", store.MailboxPress); err != nil {
				b.Fatal(err)
			}
			name, ct, data := c.file(b)
			var peak, base, rawMB float64
			for i := 0; b.Loop(); i++ {
				raw := largeMail(fmt.Sprintf("%s-%d-%d", c.name, i, time.Now().UnixNano()), name, ct, data)
				rawMB = float64(len(raw)) / (1 << 20)
				runtime.GC()
				debug.FreeOSMemory()
				base = procStatusMB(b, "VmRSS")
				resetPeakRSS(b)
				reqID := deliverTB(b, e, raw)
				raw = nil
				if _, err := e.p.BuildStory(ctx, reqID); err != nil {
					b.Fatalf("build story: %v", err)
				}
				peak = max(peak, procStatusMB(b, "VmHWM"))
			}
			b.ReportMetric(peak, "peak-RSS-MB")
			b.ReportMetric(base, "base-RSS-MB")
			b.ReportMetric(rawMB, "raw-MB")
			b.ReportMetric(float64(len(data))/(1<<20), "attachment-MB")
		})
	}
}

// deliverTB is storyEnv.deliver for a benchmark.
func deliverTB(b *testing.B, e *storyEnv, raw []byte) int64 {
	b.Helper()
	ctx := context.Background()
	e.uid++
	if _, err := e.st.SaveFetched(ctx, store.RawMessage{Mailbox: "bench:press", UIDValidity: 1, UID: e.uid,
		InternalDate: time.Now(), Size: int64(len(raw)), MessageID: mailin.HeaderMessageID(raw), Raw: raw}); err != nil {
		b.Fatal(err)
	}
	var messageID, requestID int64
	db := e.st.DB()
	if err := db.QueryRow(`SELECT message_id FROM message_sightings s JOIN mailboxes b ON b.id = s.mailbox_id
		WHERE b.address = 'bench:press' AND s.uid = $1`, int64(e.uid)).Scan(&messageID); err != nil {
		b.Fatal(err)
	}
	if err := e.p.Process(ctx, messageID); err != nil {
		b.Fatalf("process: %v", err)
	}
	if err := db.QueryRow(`SELECT id FROM requests WHERE message_id = $1`, messageID).Scan(&requestID); err != nil {
		b.Fatal(err)
	}
	return requestID
}

// largeMail is a story with one attachment, base64 in 76-column lines.
func largeMail(id, name, contentType string, data []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(data)*4/3 + len(data)/38 + 1024)
	fmt.Fprintf(&buf, "From: Ana Ruiz <ana.ruiz@example.com>\r\nTo: press@network.example.org\r\n"+
		"Subject: Our rally on Saturday\r\nDate: Sat, 24 Oct 2026 18:00:00 -0500\r\nMessage-ID: <%s@example.com>\r\n"+
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n"+
		"Content-Type: text/plain; charset=UTF-8\r\n\r\nMadison Rising held a rally on Saturday. You can share the file.\r\n\r\n"+
		"--b1\r\nContent-Type: %s; name=\"%s\"\r\nContent-Disposition: attachment; filename=\"%s\"\r\n"+
		"Content-Transfer-Encoding: base64\r\n\r\n", id, contentType, name, name)
	line := make([]byte, 76)
	for len(data) > 0 {
		n := min(57, len(data))
		base64.StdEncoding.Encode(line, data[:n])
		buf.Write(line[:base64.StdEncoding.EncodedLen(n)])
		buf.WriteString("\r\n")
		data = data[n:]
	}
	buf.WriteString("--b1--\r\n")
	return buf.Bytes()
}

// fakeVideo is n bytes that sniff as MP4: an ftyp box, then noise.
func fakeVideo(n int) []byte {
	data := make([]byte, n)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	copy(data, "\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2")
	return data
}

// noisyJPEG is a JPEG of noise of about n bytes (noise does not compress,
// so a 25 MB file is a realistic pixel count for a phone's full-size photo
// at high quality, about 24 megapixels).
func noisyJPEG(b *testing.B, n int) []byte {
	b.Helper()
	w, h := 6000, 4000
	img := image.NewGray(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(3, 4))
	for i := range img.Pix {
		img.Pix[i] = byte(r.Uint32())
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		b.Fatal(err)
	}
	b.Logf("generated JPEG: %dx%d, %.1f MB (aimed at %.1f MB)", w, h, float64(buf.Len())/(1<<20), float64(n)/(1<<20))
	return buf.Bytes()
}

// resetPeakRSS resets VmHWM to the current RSS (Linux: "5" to clear_refs).
func resetPeakRSS(b *testing.B) {
	b.Helper()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Skipf("cannot reset the peak RSS (needs Linux /proc/self/clear_refs): %v", err)
	}
}

// procStatusMB reads one "kB" field of /proc/self/status, in MB.
func procStatusMB(b *testing.B, field string) float64 {
	b.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		b.Skipf("no /proc/self/status: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			if err != nil {
				b.Fatalf("parse %s: %v", field, err)
			}
			return kb / 1024
		}
	}
	b.Fatalf("no %s in /proc/self/status", field)
	return 0
}
