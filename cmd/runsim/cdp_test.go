package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"sync"
	"testing"
	"time"
)

// A browser is a headless chromium driven over the DevTools protocol, on
// a WebSocket client of the standard library's parts (RFC 6455: masked
// client frames, fragments, ping and close).
type browser struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	page   *cdpConn
}

// findChromium returns the chromium binary, or "" when there is none.
func findChromium() string {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// needChromium returns chromium's path; without one it skips the test, or
// fails it under CI=true, where .ci/chromium.sh has installed it.
func needChromium(t *testing.T) string {
	t.Helper()
	c := findChromium()
	if c == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium not found (CI=true): .ci/chromium.sh installs it")
		}
		t.Skip("chromium not found; run .ci/chromium.sh")
	}
	return c
}

// startBrowser starts headless chromium on a blank page with a window of
// w × h and connects to that page.
func startBrowser(t *testing.T, chromium string, w, h int) *browser {
	t.Helper()
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--mute-audio",
		"--hide-scrollbars", "--remote-debugging-port=0", "--user-data-dir=" + t.TempDir(),
		fmt.Sprintf("--window-size=%d,%d", w, h), "about:blank"}
	cmd := exec.Command(chromium, args...)
	pr, pw := io.Pipe()
	b := &browser{cmd: cmd, stderr: &syncBuffer{}}
	cmd.Stderr = io.MultiWriter(pw, b.stderr)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	t.Cleanup(b.close)
	ws := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		re := regexp.MustCompile(`DevTools listening on (ws://\S+)`)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				ws <- m[1]
				break
			}
		}
		io.Copy(io.Discard, pr)
	}()
	var browserURL string
	select {
	case browserURL = <-ws:
	case <-time.After(90 * time.Second):
		t.Fatalf("chromium printed no DevTools address within 90 s:\n%s", b.stderr.String())
	}
	u, err := url.Parse(browserURL)
	if err != nil {
		t.Fatal(err)
	}
	// The page's WebSocket, from the list of targets.
	var pageWS string
	for deadline := time.Now().Add(90 * time.Second); pageWS == "" && time.Now().Before(deadline); {
		var targets []struct{ Type, URL, WebSocketDebuggerURL string }
		if resp, err := http.Get("http://" + u.Host + "/json/list"); err == nil {
			json.NewDecoder(resp.Body).Decode(&targets)
			resp.Body.Close()
		}
		for _, tg := range targets {
			if tg.Type == "page" && tg.WebSocketDebuggerURL != "" {
				pageWS = tg.WebSocketDebuggerURL
				break
			}
		}
		if pageWS == "" {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if pageWS == "" {
		t.Fatalf("chromium lists no page within 90 s:\n%s", b.stderr.String())
	}
	b.page, err = dialCDP(pageWS)
	if err != nil {
		t.Fatalf("DevTools connection: %v", err)
	}
	return b
}

// close asks chromium to quit, and kills it (the process this test
// started) if it has not within ten seconds.
func (b *browser) close() {
	if b.page != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		b.page.call(ctx, "Browser.close", nil)
		cancel()
		b.page.c.Close()
	}
	done := make(chan struct{})
	go func() { b.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		b.cmd.Process.Kill()
		<-done
	}
}

// navigate loads url in the page.
func (b *browser) navigate(t *testing.T, u string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	if _, err := b.page.call(ctx, "Page.navigate", map[string]any{"url": u}); err != nil {
		t.Fatalf("navigate to %s: %v", u, err)
	}
}

// eval evaluates a JavaScript expression in the page and decodes its
// value (returned by value) into out.
func (b *browser) eval(t *testing.T, expr string, out any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	res, err := b.page.call(ctx, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true})
	if err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	if err := json.Unmarshal(res, &r); err != nil {
		t.Fatal(err)
	}
	if r.ExceptionDetails != nil {
		t.Fatalf("evaluate: %s %s", r.ExceptionDetails.Text, r.ExceptionDetails.Exception.Description)
	}
	if err := json.Unmarshal(r.Result.Value, out); err != nil {
		t.Fatalf("evaluate: value %s: %v", r.Result.Value, err)
	}
}

// screenshot returns a PNG of the whole page.
func (b *browser) screenshot(t *testing.T) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	res, err := b.page.call(ctx, "Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true})
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	var r struct {
		Data string `json:"data"`
	}
	if err := json.Unmarshal(res, &r); err != nil {
		t.Fatal(err)
	}
	png, err := base64.StdEncoding.DecodeString(r.Data)
	if err != nil {
		t.Fatal(err)
	}
	return png
}

// cdpConn is a DevTools protocol connection: calls with ids, answered by
// a reader goroutine; events are dropped.
type cdpConn struct {
	c       net.Conn
	r       *bufio.Reader
	wmu     sync.Mutex
	mu      sync.Mutex
	next    int
	waiting map[int]chan cdpAnswer
	err     error // why the reader stopped
}

type cdpAnswer struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// dialCDP opens the WebSocket at ws://HOST/PATH (the client handshake of
// RFC 6455, section 4.1).
func dialCDP(ws string) (*cdpConn, error) {
	u, err := url.Parse(ws)
	if err != nil {
		return nil, err
	}
	c, err := net.DialTimeout("tcp", u.Host, 30*time.Second)
	if err != nil {
		return nil, err
	}
	var key [16]byte
	rand.Read(key[:])
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
		u.RequestURI(), u.Host, base64.StdEncoding.EncodeToString(key[:]))
	r := bufio.NewReaderSize(c, 1<<16)
	resp, err := http.ReadResponse(r, &http.Request{Method: "GET"})
	if err != nil {
		c.Close()
		return nil, err
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		c.Close()
		return nil, fmt.Errorf("WebSocket handshake: %s", resp.Status)
	}
	cc := &cdpConn{c: c, r: r, waiting: map[int]chan cdpAnswer{}}
	go cc.read()
	return cc, nil
}

// call sends method with params and waits for its answer.
func (cc *cdpConn) call(ctx context.Context, method string, params any) (json.RawMessage, error) {
	cc.mu.Lock()
	if cc.err != nil {
		cc.mu.Unlock()
		return nil, cc.err
	}
	cc.next++
	id := cc.next
	ch := make(chan cdpAnswer, 1)
	cc.waiting[id] = ch
	cc.mu.Unlock()
	msg, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		return nil, err
	}
	if err := cc.writeFrame(0x1, msg); err != nil {
		return nil, err
	}
	select {
	case a, ok := <-ch:
		if !ok {
			return nil, fmt.Errorf("%s: connection closed: %v", method, cc.err)
		}
		if a.Error != nil {
			return nil, fmt.Errorf("%s: %s", method, a.Error.Message)
		}
		return a.Result, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// writeFrame sends one final frame of opcode op, masked as a client must.
func (cc *cdpConn) writeFrame(op byte, payload []byte) error {
	cc.wmu.Lock()
	defer cc.wmu.Unlock()
	hdr := []byte{0x80 | op}
	switch n := len(payload); {
	case n < 126:
		hdr = append(hdr, 0x80|byte(n))
	case n <= 0xffff:
		hdr = append(hdr, 0x80|126)
		hdr = binary.BigEndian.AppendUint16(hdr, uint16(n))
	default:
		hdr = append(hdr, 0x80|127)
		hdr = binary.BigEndian.AppendUint64(hdr, uint64(n))
	}
	var mask [4]byte
	rand.Read(mask[:])
	hdr = append(hdr, mask[:]...)
	masked := make([]byte, len(payload))
	for i, c := range payload {
		masked[i] = c ^ mask[i%4]
	}
	cc.c.SetWriteDeadline(time.Now().Add(30 * time.Second))
	_, err := cc.c.Write(append(hdr, masked...))
	return err
}

// read reads the server's frames, joins fragments into messages and hands
// each answer to its caller, until the connection ends.
func (cc *cdpConn) read() {
	var msg []byte
	err := func() error {
		for {
			var h [2]byte
			if _, err := io.ReadFull(cc.r, h[:]); err != nil {
				return err
			}
			fin, op := h[0]&0x80 != 0, h[0]&0x0f
			n := uint64(h[1] & 0x7f)
			switch n {
			case 126:
				var b [2]byte
				if _, err := io.ReadFull(cc.r, b[:]); err != nil {
					return err
				}
				n = uint64(binary.BigEndian.Uint16(b[:]))
			case 127:
				var b [8]byte
				if _, err := io.ReadFull(cc.r, b[:]); err != nil {
					return err
				}
				n = binary.BigEndian.Uint64(b[:])
			}
			var mask [4]byte
			if h[1]&0x80 != 0 {
				if _, err := io.ReadFull(cc.r, mask[:]); err != nil {
					return err
				}
			}
			if n > 1<<28 {
				return fmt.Errorf("a frame of %d bytes", n)
			}
			p := make([]byte, n)
			if _, err := io.ReadFull(cc.r, p); err != nil {
				return err
			}
			if h[1]&0x80 != 0 {
				for i := range p {
					p[i] ^= mask[i%4]
				}
			}
			switch op {
			case 0x8:
				return errors.New("closed by chromium")
			case 0x9:
				cc.writeFrame(0xA, p)
				continue
			case 0xA:
				continue
			case 0x0, 0x1, 0x2:
				msg = append(msg, p...)
			}
			if !fin {
				continue
			}
			var m struct {
				ID *int `json:"id"`
				cdpAnswer
			}
			if err := json.Unmarshal(msg, &m); err == nil && m.ID != nil {
				cc.mu.Lock()
				if ch, ok := cc.waiting[*m.ID]; ok {
					ch <- m.cdpAnswer
					delete(cc.waiting, *m.ID)
				}
				cc.mu.Unlock()
			}
			msg = msg[:0]
		}
	}()
	cc.mu.Lock()
	cc.err = err
	for id, ch := range cc.waiting {
		close(ch)
		delete(cc.waiting, id)
	}
	cc.mu.Unlock()
}
