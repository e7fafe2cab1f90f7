package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tarn-idp/tarn/internal/api"
	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/lambda"
	"github.com/tarn-idp/tarn/internal/seal"
	"github.com/tarn-idp/tarn/internal/store"
	"github.com/tarn-idp/tarn/internal/store/sqlstore"
	"github.com/tarn-idp/tarn/internal/tokens"
	"github.com/tarn-idp/tarn/internal/triggers"
	"github.com/tarn-idp/tarn/internal/userpool"
)

// Main is a tarn server: the program behind "tarn serve", and what tests
// start on 127.0.0.1:0. Set the fields, call Run, and Close when done.
type Main struct {
	// Addr is the TCP address to listen on (default "127.0.0.1:9229");
	// port 0 picks a free port.
	Addr string
	// DataDir holds the SQLite database and the server key file by default
	// (default "./.tarn"); it is created with mode 0700.
	DataDir string
	// DB selects the database: "" for sqlite://<DataDir>/tarn.db, "memory"
	// for a private in-memory SQLite, or a DSN (sqlite:///abs/path.db,
	// sqlite::memory:, postgres://…).
	DB string
	// PublicURL is the base URL clients and token verifiers reach tarn at
	// (default http://<listen address>, with the real port when Addr ends in
	// :0 and 127.0.0.1 for an unspecified host).
	PublicURL string
	// Region goes into pool ids, ARNs and AWS-style issuers (default
	// "us-east-1").
	Region string
	// AWSIssuer makes tokens carry https://cognito-idp.<region>.amazonaws.com/<poolId>
	// as issuer instead of <PublicURL>/<poolId>.
	AWSIssuer bool
	// ServerKey seals secrets at rest (32 bytes). When nil it is read from
	// ServerKeyFile, which is created (mode 0600) with a new key if absent.
	ServerKey []byte
	// ServerKeyFile defaults to <DataDir>/server.key.
	ServerKeyFile string
	// Logger receives the server's logs (slog.Default when nil).
	Logger *slog.Logger
	// ConfigFile is the YAML configuration (functions); "" for none.
	ConfigFile string
	// LambdaEndpoint is the Lambda Invoke API that runs functions the
	// configuration does not declare ("" for none).
	LambdaEndpoint string
	// GoFunctions are in-process trigger functions by function name, for
	// tests and for embedding tarn.
	GoFunctions map[string]lambda.GoFunc
	// TriggerTimeout is the per-attempt deadline of a trigger invocation
	// (default 5 s, as AWS); tests shorten it.
	TriggerTimeout time.Duration
	// MaxUserPools is how many user pools may exist at once (0: AWS's
	// default quota, 1,000).
	MaxUserPools int

	// DBMaxOpenConns, DBMaxIdleConns and DBConnMaxLifetime tune the
	// database connection pool (0: sqlstore's defaults).
	DBMaxOpenConns    int
	DBMaxIdleConns    int
	DBConnMaxLifetime time.Duration

	// KeyRotationInterval turns on scheduled rotation of the pools' signing
	// keys (0: off): a pool's key for ID or access tokens is rotated once
	// it is this old. Every node may run the schedule; they agree through
	// the database, so a due key is rotated once.
	KeyRotationInterval time.Duration
	// KeyPublishAhead is how long a new key is published in the JWKS
	// before it signs (default 10 minutes); KeyRetain how long a retired
	// key stays published after that (default 24 hours, the longest ID or
	// access token lifetime).
	KeyPublishAhead time.Duration
	KeyRetain       time.Duration

	// clock replaces time.Now for the flows, the keys and the rotation
	// schedule (tests); rotationCheck is how often the schedule looks for
	// due keys (default: a minute, or the interval when shorter);
	// rotationPassed, when set, is called after each look.
	clock          func() time.Time
	rotationCheck  time.Duration
	rotationPassed func()
	tokens         *tokens.Service
	stopRotation   context.CancelFunc
	rotationDone   chan struct{}

	lambdas *lambda.Host

	store    *sqlstore.Store
	ln       net.Listener
	srv      *http.Server
	url      string
	serveErr chan error
}

// Run opens the store, builds the services and starts serving in the
// background; it returns once the server accepts connections. On error,
// everything Run opened is closed again.
func (m *Main) Run(ctx context.Context) (err error) {
	if m.srv != nil {
		return errors.New("tarn: Main.Run called twice")
	}
	m.setDefaults()
	log := m.Logger

	if err := os.MkdirAll(m.DataDir, 0o700); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	key := m.ServerKey
	if key == nil {
		if key, err = seal.LoadOrCreateKeyFile(m.ServerKeyFile); err != nil {
			return fmt.Errorf("server key %s: %w", m.ServerKeyFile, err)
		}
	}
	sealer, err := seal.New(key)
	if err != nil {
		return fmt.Errorf("server key: %w", err)
	}

	dsn, kind, err := m.dsn()
	if err != nil {
		return err
	}
	st, err := sqlstore.OpenWithOptions(ctx, dsn, sqlstore.Options{
		MaxOpenConns: m.DBMaxOpenConns, MaxIdleConns: m.DBMaxIdleConns, ConnMaxLifetime: m.DBConnMaxLifetime,
	})
	if err != nil {
		return fmt.Errorf("open database (%s): %w", kind, err)
	}
	defer func() {
		if err != nil {
			st.Close()
		}
	}()

	ln, err := net.Listen("tcp", m.Addr)
	if err != nil {
		return err
	}
	m.url = "http://" + dialable(ln.Addr())
	publicURL := strings.TrimRight(m.PublicURL, "/")
	if publicURL == "" {
		publicURL = m.url
	}

	cfg, baseDir, err := loadConfig(m.ConfigFile)
	if err != nil {
		ln.Close()
		return err
	}
	host, err := lambda.New(lambda.Config{
		Functions:      cfg.lambdaFunctions(),
		InvokeEndpoint: m.LambdaEndpoint,
		BaseDir:        baseDir,
		Region:         m.Region,
		Logger:         log,
		// Handlers call back into tarn with the AWS SDK (a post
		// confirmation that adds the user to a group).
		Env: map[string]string{
			"AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER": m.url,
			"TARN_ENDPOINT": m.url,
		},
	})
	if err != nil {
		ln.Close()
		return fmt.Errorf("functions: %w", err)
	}
	for name, fn := range m.GoFunctions {
		host.RegisterGo(name, fn)
	}
	m.lambdas = host
	dispatcher := &triggers.Dispatcher{
		Invoker: host,
		Logger:  log,
		Timeout: m.TriggerTimeout,
		Record: func(ctx context.Context, inv cognito.Invocation) {
			if err := st.AddInvocation(context.WithoutCancel(ctx), inv); err != nil {
				log.Error("record invocation", "error", err)
			}
		},
	}

	tok := tokens.New(st, sealer)
	tok.Now = m.clock
	svc := userpool.New(userpool.Config{
		Triggers: dispatcher,
		Store:    st,
		Tokens:   tok,
		Now:      m.clock,
		Sealer:   sealer,
		Region:   m.Region,
		Issuer:   m.issuer(publicURL),
		Logger:   log,

		MaxUserPools: m.MaxUserPools,
	})
	handler := api.New(api.Config{
		Ops:     api.Operations(svc),
		Backend: svc,
		// The balancer's probe: the database answers within 2 seconds.
		Health: func(ctx context.Context) error {
			ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			defer cancel()
			_, err := st.ListPools(ctx, store.Page{Limit: 1})
			return err
		},
		Logger: log,
	})

	m.store, m.ln, m.tokens = st, ln, tok
	if m.KeyRotationInterval > 0 {
		m.startKeyRotation()
	}
	m.srv = &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	m.serveErr = make(chan error, 1)
	go func() {
		if err := m.srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			m.serveErr <- err
		}
	}()
	log.Info("tarn listening", "addr", ln.Addr().String(), "url", m.url, "public_url", publicURL,
		"db", kind, "region", m.Region, "issuer", m.issuer(publicURL)("<poolId>"))
	return nil
}

// URL is the base URL the server answers at directly, with the real port;
// it is valid once Run has returned nil.
func (m *Main) URL() string { return m.url }

// Close stops accepting requests, waits (up to 10 seconds) for those in
// flight, then closes the store. It is safe to call on a Main that never ran.
func (m *Main) Close() error {
	var errs []error
	if m.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := m.srv.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	if m.stopRotation != nil {
		m.stopRotation()
		<-m.rotationDone
		m.stopRotation = nil
	}
	if m.lambdas != nil {
		errs = append(errs, m.lambdas.Close())
		m.lambdas = nil
	}
	if m.store != nil {
		errs = append(errs, m.store.Close())
		m.store = nil
	}
	return errors.Join(errs...)
}

func (m *Main) setDefaults() {
	if m.Addr == "" {
		m.Addr = "127.0.0.1:9229"
	}
	if m.DataDir == "" {
		m.DataDir = ".tarn"
	}
	if m.Region == "" {
		m.Region = "us-east-1"
	}
	if m.ServerKeyFile == "" {
		m.ServerKeyFile = filepath.Join(m.DataDir, "server.key")
	}
	if m.Logger == nil {
		m.Logger = slog.Default()
	}
	if m.KeyPublishAhead == 0 {
		m.KeyPublishAhead = defaultPublishAhead
	}
	if m.KeyRetain == 0 {
		m.KeyRetain = defaultRetain
	}
}

// dsn turns DB into a sqlstore DSN, and names the kind of database for the
// log without any credentials.
func (m *Main) dsn() (dsn, kind string, err error) {
	switch db := m.DB; {
	case db == "":
		path, err := filepath.Abs(filepath.Join(m.DataDir, "tarn.db"))
		if err != nil {
			return "", "", err
		}
		return "sqlite://" + path, "sqlite " + path, nil
	case db == "memory", db == "sqlite::memory:":
		return "sqlite::memory:", "sqlite in memory", nil
	case strings.HasPrefix(db, "sqlite://"):
		return db, "sqlite " + strings.TrimPrefix(db, "sqlite://"), nil
	case strings.HasPrefix(db, "postgres://"), strings.HasPrefix(db, "postgresql://"):
		kind := "postgres"
		if u, err := url.Parse(db); err == nil {
			kind += " " + u.Host + u.Path
		}
		return db, kind, nil
	default:
		return "", "", fmt.Errorf("--db: want memory, sqlite:///path.db or postgres://…, got %q", db)
	}
}

// issuer returns the function that names a pool's token issuer.
func (m *Main) issuer(publicURL string) func(poolID string) string {
	if m.AWSIssuer {
		base := "https://cognito-idp." + m.Region + ".amazonaws.com/"
		return func(poolID string) string { return base + poolID }
	}
	return func(poolID string) string { return publicURL + "/" + poolID }
}

// dialable returns host:port for a listener address, with 127.0.0.1 in
// place of an unspecified host (0.0.0.0, ::).
func dialable(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
