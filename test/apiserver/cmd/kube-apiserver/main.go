// Command kube-apiserver is the real Kubernetes API server, built from the
// k8s.io/kubernetes module at the version pinned in ../../go.mod. It is the
// upstream cmd/kube-apiserver main, unchanged: the tests start it on loopback.
package main

import (
	"os"
	_ "time/tzdata" // for timeZone support in CronJob, as upstream

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	command := app.NewAPIServerCommand()
	code := cli.Run(command)
	os.Exit(code)
}
