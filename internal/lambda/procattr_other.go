//go:build !unix

package lambda

import "os/exec"

func setProcAttr(*exec.Cmd) {}

func killProcess(cmd *exec.Cmd) { cmd.Process.Kill() }
