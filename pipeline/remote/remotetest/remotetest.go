// Package remotetest runs an SSH server on loopback for tests of
// knockmap's SSH sources, like net/http/httptest does for HTTP.
package remotetest

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// Server is an SSH server on loopback that answers the two commands
// Fetch sends (list a glob; cat a file) from a folder of its own, and
// accepts one client key.
type Server struct {
	Addr   string
	Root   string // the "remote" file system: remote paths are Root + path
	Client *ssh.ClientConfig
}

// Start starts a Server that lives as long as the test.
func Start(t testing.TB) *Server {
	t.Helper()
	_, hostPriv, _ := ed25519.GenerateKey(rand.Reader)
	hostSigner, _ := ssh.NewSignerFromKey(hostPriv)
	_, clientPriv, _ := ed25519.GenerateKey(rand.Reader)
	clientSigner, _ := ssh.NewSignerFromKey(clientPriv)
	want := clientSigner.PublicKey().Marshal()
	cfg := &ssh.ServerConfig{
		PublicKeyCallback: func(c ssh.ConnMetadata, k ssh.PublicKey) (*ssh.Permissions, error) {
			if c.User() == "pi" && string(k.Marshal()) == string(want) {
				return nil, nil
			}
			return nil, fmt.Errorf("no")
		},
	}
	cfg.AddHostKey(hostSigner)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	s := &Server{Addr: ln.Addr().String(), Root: t.TempDir()}
	s.Client = &ssh.ClientConfig{
		User:            "pi",
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(clientSigner)},
		HostKeyCallback: ssh.FixedHostKey(hostSigner.PublicKey()),
		Timeout:         5 * time.Second,
	}
	go func() {
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(nc, cfg)
		}
	}()
	return s
}

var (
	listCmd = regexp.MustCompile(`^for f in (\S+); do `)
	catCmd  = regexp.MustCompile(`^cat -- '(.*)'$`)
)

func (s *Server) serve(nc net.Conn, cfg *ssh.ServerConfig) {
	_, chans, reqs, err := ssh.NewServerConn(nc, cfg)
	if err != nil {
		return
	}
	go ssh.DiscardRequests(reqs)
	for nch := range chans {
		ch, creqs, err := nch.Accept()
		if err != nil {
			continue
		}
		go func() {
			defer ch.Close()
			for req := range creqs {
				if req.Type != "exec" || len(req.Payload) < 4 {
					req.Reply(false, nil)
					continue
				}
				cmd := string(req.Payload[4:])
				req.Reply(true, nil)
				status := s.exec(cmd, ch)
				ch.SendRequest("exit-status", false, binary.BigEndian.AppendUint32(nil, status))
				return
			}
		}()
	}
}

func (s *Server) exec(cmd string, ch ssh.Channel) uint32 {
	if m := listCmd.FindStringSubmatch(cmd); m != nil {
		matches, _ := filepath.Glob(filepath.Join(s.Root, m[1]))
		for _, p := range matches {
			fi, err := os.Stat(p)
			if err != nil || !fi.Mode().IsRegular() {
				continue
			}
			fmt.Fprintf(ch, "%d\t%d\t%s\n", fi.ModTime().Unix(), fi.Size(), strings.TrimPrefix(p, s.Root))
		}
		return 0
	}
	if m := catCmd.FindStringSubmatch(cmd); m != nil {
		b, err := os.ReadFile(filepath.Join(s.Root, strings.ReplaceAll(m[1], `'\''`, "'")))
		if err != nil {
			fmt.Fprintln(ch.Stderr(), err)
			return 1
		}
		ch.Write(b)
		return 0
	}
	fmt.Fprintln(ch.Stderr(), "unknown command:", cmd)
	return 127
}
