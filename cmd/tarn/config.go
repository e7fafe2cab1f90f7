package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"gopkg.in/yaml.v3"

	"github.com/tarn-idp/tarn/internal/lambda"
)

// fileConfig is tarn's configuration file (--config, TARN_CONFIG), YAML.
// Functions are the trigger functions tarn runs itself, keyed by the
// function name of the ARNs a pool's LambdaConfig names, with the property
// names of AWS SAM's AWS::Serverless::Function:
//
//	Functions:
//	  pre-signup:                       # arn:aws:lambda:<region>:<acct>:function:pre-signup
//	    Runtime: nodejs20.x             # nodejs*, python3.*, provided.al2023
//	    Handler: index.handler
//	    CodeUri: ./functions/pre-signup # relative to the config file
//	    Timeout: 5
//	    Environment:
//	      Variables: {ALLOWED_DOMAIN: example.com}
//	  audit:
//	    Runner: webhook                 # or invoke, local (default)
//	    Url: http://127.0.0.1:8080/hook
//	    Secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
type fileConfig struct {
	Functions map[string]functionConfig `yaml:"Functions"`
}

type functionConfig struct {
	Runner      string `yaml:"Runner"`
	Runtime     string `yaml:"Runtime"`
	Handler     string `yaml:"Handler"`
	CodeUri     string `yaml:"CodeUri"`
	Timeout     int    `yaml:"Timeout"`
	MemorySize  int    `yaml:"MemorySize"`
	Environment struct {
		Variables map[string]string `yaml:"Variables"`
	} `yaml:"Environment"`
	Url         string `yaml:"Url"`
	Secret      string `yaml:"Secret"`
	Concurrency int    `yaml:"Concurrency"`
}

// loadConfig reads the configuration file; "" is an empty configuration.
// Unknown keys are errors, so a misspelt property does not pass silently.
func loadConfig(path string) (fileConfig, string, error) {
	var c fileConfig
	if path == "" {
		return c, "", nil
	}
	f, err := os.Open(path)
	if err != nil {
		return c, "", fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return c, "", fmt.Errorf("config %s: %w", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return c, "", err
	}
	return c, filepath.Dir(abs), nil
}

// functions turns the configuration's functions into lambda declarations,
// sorted by name.
func (c fileConfig) lambdaFunctions() []lambda.Function {
	names := make([]string, 0, len(c.Functions))
	for n := range c.Functions {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]lambda.Function, 0, len(names))
	for _, n := range names {
		fc := c.Functions[n]
		f := lambda.Function{
			Name: n, Runner: fc.Runner, Runtime: fc.Runtime, Handler: fc.Handler, CodeUri: fc.CodeUri,
			Timeout: fc.Timeout, MemorySize: fc.MemorySize, Url: fc.Url, Secret: fc.Secret, Concurrency: fc.Concurrency,
		}
		f.Environment.Variables = fc.Environment.Variables
		out = append(out, f)
	}
	return out
}
