// A user's own cdk8s app in Go: the app of test/consumer/main.ts (their storefront Deployment, a
// LogSidecar streaming nginx's log files and an HAProxy ambassador in front of their Redis, in
// namespace "shop"), written as the README's Go quick start tells a new user to.
// scripts/languages-test.sh checks that it writes the same bytes as the TypeScript app. With the
// argument "bad-props" it runs the invalid-props case of test/consumer/bad-props.js instead.
package main

import (
	"fmt"
	"os"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-pod-patterns/cdk8s-pod-patterns-go/podpatterns"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
	"github.com/cdk8s-team/cdk8s-plus-go/cdk8splus27/v2"
)

// NewShopChart builds the user's chart: their Deployment, two patterns composed on it.
func NewShopChart(scope constructs.Construct, id string, props *cdk8s.ChartProps,
) cdk8s.Chart {
	chart := cdk8s.NewChart(scope, jsii.String(id), props)
	podpatterns.NewPodSecurityNamespace(chart, jsii.String("namespace"), nil)

	// the user's own Deployment, as they already had it
	labels := podpatterns.Patterns_RecommendedLabels(chart,
		&podpatterns.RecommendedLabels{
			Name: jsii.String("storefront"), Component: jsii.String("web-server"),
		})
	web := cdk8splus27.NewDeployment(chart, jsii.String("web"),
		&cdk8splus27.DeploymentProps{
			Metadata: &cdk8s.ApiObjectMetadata{
				Name:   jsii.String("storefront"),
				Labels: labels,
			},
			Replicas: jsii.Number(2),
			Containers: &[]*cdk8splus27.ContainerProps{{
				Name:  jsii.String("nginx"),
				Image: jsii.String("nginxinc/nginx-unprivileged:1.27.5-alpine"),
				Ports: &[]*cdk8splus27.ContainerPort{
					{Number: jsii.Number(8080), Name: jsii.String("http")},
				},
				Resources: &cdk8splus27.ContainerResources{
					Cpu: &cdk8splus27.CpuResources{
						Request: cdk8splus27.Cpu_Millis(jsii.Number(50)),
					},
					Memory: &cdk8splus27.MemoryResources{
						Request: cdk8s.Size_Mebibytes(jsii.Number(64)),
						Limit:   cdk8s.Size_Mebibytes(jsii.Number(128)),
					},
				},
			}},
		})
	tmp := cdk8splus27.Volume_FromEmptyDir(chart, jsii.String("tmp"),
		jsii.String("tmp"),
		&cdk8splus27.EmptyDirVolumeOptions{
			SizeLimit: cdk8s.Size_Mebibytes(jsii.Number(64)),
		})
	(*web.Containers())[0].Mount(jsii.String("/tmp"), tmp, nil)
	podpatterns.Patterns_HardenContainer(web, jsii.String("nginx"),
		&podpatterns.HardenContainerOptions{
			RunAsUser:  jsii.Number(101),
			RunAsGroup: jsii.Number(101),
		})

	// two patterns composed on it
	podpatterns.NewLogSidecar(chart, jsii.String("logs"), &podpatterns.LogSidecarProps{
		Workload:         web,
		AppContainerName: jsii.String("nginx"),
		LogDirectory:     jsii.String("/var/log/nginx"),
		LogFiles:         jsii.Strings("access.log", "error.log"),
		Shipping:         podpatterns.LogShipping_Streaming(nil),
		// cdk8s-plus's resources shape: a Cpu and Sizes
		Resources: &podpatterns.ResourceOptions{
			Cpu: &cdk8splus27.CpuResources{Request: cdk8splus27.Cpu_Millis(jsii.Number(5))},
			Memory: &cdk8splus27.MemoryResources{
				Request: cdk8s.Size_Mebibytes(jsii.Number(16)),
				Limit:   cdk8s.Size_Mebibytes(jsii.Number(32)),
			},
		},
	})
	cache := &podpatterns.ProxyAmbassadorProps{
		Workload:         web,
		AppContainerName: jsii.String("nginx"),
		Backend: podpatterns.ProxyBackend_Haproxy(&podpatterns.HaproxyBackendProps{
			Mode:    podpatterns.HaproxyMode_TCP,
			Balance: podpatterns.HaproxyBalance_FIRST,
		}),
		ListenPort: jsii.Number(6379),
		EnvVar:     jsii.String("REDIS_ADDR"),
		Upstreams: &[]interface{}{
			jsii.String("redis-primary.cache.svc.cluster.local:6379"),
			jsii.String("redis-standby.cache.svc.cluster.local:6379"),
		},
	}
	podpatterns.NewProxyAmbassador(chart, jsii.String("cache"), cache)
	return chart
}

// badProps runs the invalid-props case of test/consumer/bad-props.js: the jsii runtime panics
// with the library's error, whose message is printed.
func badProps() (code int) {
	app := cdk8s.NewApp(nil)
	chart := cdk8s.NewChart(app, jsii.String("bad"), nil)
	web := cdk8splus27.NewDeployment(chart, jsii.String("web"), &cdk8splus27.DeploymentProps{
		Containers: &[]*cdk8splus27.ContainerProps{{
			Name:  jsii.String("nginx"),
			Image: jsii.String("nginxinc/nginx-unprivileged:1.27.5-alpine"),
		}},
	})
	defer func() {
		r := recover()
		if r == nil {
			fmt.Fprintln(os.Stderr, "invalid props were accepted")
			code = 1
			return
		}
		message := fmt.Sprint(r)
		if err, ok := r.(error); ok {
			message = err.Error()
		}
		isProps := *podpatterns.Patterns_IsPropsError(message)
		if !isProps || *podpatterns.Patterns_IsSynthError(message) {
			fmt.Fprintln(os.Stderr, "not told as a props error: "+message)
			code = 1
			return
		}
		// the library's text, without the JavaScript stack the runtime appends
		fmt.Println(*podpatterns.Patterns_ErrorText(message))
		code = 0
	}()
	podpatterns.NewLogSidecar(chart, jsii.String("logs"), &podpatterns.LogSidecarProps{
		Workload:         web,
		AppContainerName: jsii.String("nginx"),
		LogDirectory:     jsii.String("var/log/nginx"),
		LogFiles:         jsii.Strings("../access.log"),
	})
	return 1
}

func main() {
	if len(os.Args) == 2 && os.Args[1] == "bad-props" {
		code := badProps()
		jsii.Close()
		os.Exit(code)
	}
	app := cdk8s.NewApp(nil)
	NewShopChart(app, "shop", &cdk8s.ChartProps{Namespace: jsii.String("shop")})
	ok := podpatterns.Patterns_RunSynth(app, &podpatterns.SynthOptions{
		Outdir:        jsii.String("dist"),
		Kustomization: jsii.String("kustomization.yaml"),
	})
	jsii.Close()
	if !*ok {
		os.Exit(1)
	}
}
