// Package remote fetches log files from another machine over SSH (a
// Raspberry Pi's auth.log onto the laptop that runs knockmap), with the
// user's SSH agent and known_hosts, so that they can be read like local
// files.
package remote

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/knockmap/knockmap/pipeline/outfile"
)

// Target is where to log in: user@host[:port].
type Target struct {
	User, Addr string
}

// ParseTarget reads user@host[:port]; the user defaults to $USER and the
// port to 22.
func ParseTarget(s string) (Target, error) {
	user, host, ok := strings.Cut(s, "@")
	if !ok {
		user, host = os.Getenv("USER"), s
	}
	if host == "" || user == "" {
		return Target{}, fmt.Errorf("ssh target %q: want user@host[:port]", s)
	}
	if _, _, err := net.SplitHostPort(host); err != nil {
		host = net.JoinHostPort(host, "22")
	}
	return Target{User: user, Addr: host}, nil
}

// UserConfig is how the user's own ssh client would log in: keys from the
// agent at $SSH_AUTH_SOCK, host keys checked against ~/.ssh/known_hosts.
func UserConfig(user string) (*ssh.ClientConfig, func(), error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return nil, nil, err
	}
	hostKeys, err := knownhosts.New(filepath.Join(home, ".ssh", "known_hosts"))
	if err != nil {
		return nil, nil, fmt.Errorf("ssh: reading known_hosts (connect once with ssh to add the host): %w", err)
	}
	sock := os.Getenv("SSH_AUTH_SOCK")
	if sock == "" {
		return nil, nil, errors.New("ssh: no SSH agent (SSH_AUTH_SOCK is empty): start one and ssh-add your key")
	}
	conn, err := net.Dial("unix", sock)
	if err != nil {
		return nil, nil, fmt.Errorf("ssh: the SSH agent: %w", err)
	}
	cfg := &ssh.ClientConfig{
		User:            user,
		Auth:            []ssh.AuthMethod{ssh.PublicKeysCallback(agent.NewClient(conn).Signers)},
		HostKeyCallback: hostKeys,
		Timeout:         30 * time.Second,
	}
	return cfg, func() { conn.Close() }, nil
}

// File is a remote file copied here.
type File struct {
	Name    string    // user@host:/var/log/auth.log
	Path    string    // the local copy
	ModTime time.Time // the remote file's modification time, also set on the copy
}

// maxFileBytes bounds one fetched file.
const maxFileBytes = 4 << 30

// Fetch copies the regular files that pattern (a path or glob on the
// remote host) names into dir, keeping their modification times. The
// pattern may hold letters, digits, / . _ - * ? [ ] only: it is expanded
// by the remote shell.
func Fetch(ctx context.Context, t Target, cfg *ssh.ClientConfig, pattern, dir string) ([]File, error) {
	if pattern == "" || strings.IndexFunc(pattern, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-*?[]", r))
	}) >= 0 {
		return nil, fmt.Errorf("ssh path %q: only letters, digits and / . _ - * ? [ ] are allowed", pattern)
	}
	d := net.Dialer{Timeout: cfg.Timeout}
	nc, err := d.DialContext(ctx, "tcp", t.Addr)
	if err != nil {
		return nil, fmt.Errorf("ssh %s: %w", t.Addr, err)
	}
	c, chans, reqs, err := ssh.NewClientConn(nc, t.Addr, cfg)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("ssh %s@%s: %w", t.User, t.Addr, err)
	}
	client := ssh.NewClient(c, chans, reqs)
	defer client.Close()
	stop := context.AfterFunc(ctx, func() { client.Close() })
	defer stop()

	// one line per file: mtime (Unix seconds), size, path
	list, err := run(client, `for f in `+pattern+`; do [ -f "$f" ] && printf '%s\t%s\t%s\n' "$(stat -c %Y -- "$f")" "$(stat -c %s -- "$f")" "$f"; done; true`)
	if err != nil {
		return nil, fmt.Errorf("ssh %s: listing %s: %w", t.Addr, pattern, err)
	}
	if err := outfile.CheckFolder(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	var out []File
	sc := bufio.NewScanner(strings.NewReader(list))
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), "\t", 3)
		if len(parts) != 3 {
			continue
		}
		sec, err1 := strconv.ParseInt(parts[0], 10, 64)
		size, err2 := strconv.ParseInt(parts[1], 10, 64)
		if err1 != nil || err2 != nil || size > maxFileBytes {
			return nil, fmt.Errorf("ssh %s: unexpected listing line %q", t.Addr, sc.Text())
		}
		remotePath := parts[2]
		local := filepath.Join(dir, strings.NewReplacer("/", "_", "..", "_").Replace(strings.TrimPrefix(remotePath, "/")))
		mtime := time.Unix(sec, 0)
		if err := copyFile(client, remotePath, local, mtime); err != nil {
			return nil, fmt.Errorf("ssh %s: reading %s: %w", t.Addr, remotePath, err)
		}
		out = append(out, File{Name: t.User + "@" + t.Addr + ":" + remotePath, Path: local, ModTime: mtime})
	}
	return out, nil
}

func run(c *ssh.Client, cmd string) (string, error) {
	s, err := c.NewSession()
	if err != nil {
		return "", err
	}
	defer s.Close()
	b, err := s.Output(cmd)
	return string(b), err
}

// copyFile copies remotePath into the file local, made fresh and renamed
// into place (see outfile) with the time mtime.
func copyFile(c *ssh.Client, remotePath, local string, mtime time.Time) error {
	s, err := c.NewSession()
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := s.StdoutPipe()
	if err != nil {
		return err
	}
	if err := s.Start("cat -- '" + strings.ReplaceAll(remotePath, "'", `'\''`) + "'"); err != nil {
		return err
	}
	f, err := outfile.Create(local, outfile.Mode)
	if err != nil {
		return err
	}
	defer f.Abort()
	_, err = io.Copy(f, io.LimitReader(r, maxFileBytes))
	if werr := s.Wait(); err == nil {
		err = werr
	}
	if err == nil {
		err = f.SetModTime(mtime)
	}
	if err != nil {
		return err
	}
	return f.Commit()
}
