// Command client calls FunctionRunnerService.RunFunction through grpc-go, the
// gRPC implementation Crossplane calls composition functions with, so the
// runtime's tests can check that both of its transports answer it.
//
// It reads the request's protobuf bytes from stdin, makes -calls calls on one
// connection from each of -parallel goroutines at once, and prints one JSON
// line: {"code":0,"response":<base64 bytes>} for an answer, or
// {"code":N,"message":"..."} for the first failure.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"
)

// raw passes message bytes through unchanged: the test encodes and decodes them.
type raw struct{}

func (raw) Marshal(v interface{}) ([]byte, error) { return *(v.(*[]byte)), nil }
func (raw) Unmarshal(data []byte, v interface{}) error {
	*(v.(*[]byte)) = append([]byte(nil), data...)
	return nil
}
func (raw) Name() string { return "proto" }

type result struct {
	Code     int    `json:"code"`
	Message  string `json:"message,omitempty"`
	Response []byte `json:"response,omitempty"`
}

func main() {
	target := flag.String("target", "", "host:port of the function")
	method := flag.String("method", "/apiextensions.fn.proto.v1.FunctionRunnerService/RunFunction", "the full method name to call")
	caFile := flag.String("ca", "", "CA certificate (PEM) the server's certificate must chain to; plaintext without it")
	certFile := flag.String("cert", "", "client certificate (PEM), with -key")
	keyFile := flag.String("key", "", "client key (PEM)")
	serverName := flag.String("server-name", "localhost", "the name the server's certificate must carry")
	timeout := flag.Duration("timeout", 10*time.Second, "each call's deadline")
	calls := flag.Int("calls", 1, "calls to make, one after the other, on one connection")
	parallel := flag.Int("parallel", 1, "goroutines making -calls calls each, at once, on the same connection")
	flag.Parse()

	request, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(fmt.Errorf("cannot read the request from stdin: %w", err))
	}
	transport := grpc.WithInsecure()
	if *caFile != "" {
		creds, err := tlsCredentials(*caFile, *certFile, *keyFile, *serverName)
		if err != nil {
			fail(err)
		}
		transport = grpc.WithTransportCredentials(creds)
	}
	conn, err := grpc.Dial(*target, transport, grpc.WithDefaultCallOptions(grpc.ForceCodec(raw{}), grpc.MaxCallRecvMsgSize(64<<20), grpc.MaxCallSendMsgSize(64<<20)))
	if err != nil {
		fail(err)
	}
	defer conn.Close()
	var (
		mu       sync.Mutex
		failed   *result
		response []byte
		wg       sync.WaitGroup
	)
	for g := 0; g < *parallel; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var answer []byte
			for i := 0; i < *calls; i++ {
				ctx, cancel := context.WithTimeout(context.Background(), *timeout)
				err := conn.Invoke(ctx, *method, &request, &answer)
				cancel()
				if err != nil {
					s := status.Convert(err)
					mu.Lock()
					if failed == nil {
						failed = &result{Code: int(s.Code()), Message: s.Message()}
					}
					mu.Unlock()
					return
				}
			}
			mu.Lock()
			response = answer
			mu.Unlock()
		}()
	}
	wg.Wait()
	if failed != nil {
		emit(*failed)
		return
	}
	emit(result{Code: 0, Response: response})
}

func tlsCredentials(caFile, certFile, keyFile, serverName string) (credentials.TransportCredentials, error) {
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("cannot read -ca: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("cannot read -ca: no PEM certificate in %s", caFile)
	}
	config := &tls.Config{RootCAs: pool, ServerName: serverName, MinVersion: tls.VersionTLS12}
	if certFile != "" {
		pair, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, fmt.Errorf("cannot read -cert and -key: %w", err)
		}
		config.Certificates = []tls.Certificate{pair}
	}
	return credentials.NewTLS(config), nil
}

func emit(r result) {
	if err := json.NewEncoder(os.Stdout).Encode(r); err != nil {
		os.Exit(2)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
