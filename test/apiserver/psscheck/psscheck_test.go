package psscheck

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8sv1 "k8s.io/kubernetes/pkg/apis/core/v1"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
)

// The file pss-pods.ts writes: the policy versions, and each pod with the library's failing
// check ids per version and level.
type casesFile struct {
	Versions []string `json:"versions"`
	Cases    []struct {
		Source string `json:"source"`
		Pod    struct {
			Metadata metav1.ObjectMeta `json:"metadata"`
			Spec     corev1.PodSpec    `json:"spec"`
		} `json:"pod"`
		Library map[string]map[string][]string `json:"library"`
	} `json:"cases"`
}

// failingChecks evaluates one check alone, as upstream's registry does (the newest implementation
// whose minimum version is not above v), and says whether it fails.
func failingChecks(checks []policy.Check, v api.Version, meta *metav1.ObjectMeta, spec *corev1.PodSpec) map[string]bool {
	out := map[string]bool{}
	for _, c := range checks {
		var impl *policy.VersionedCheck
		for i := range c.Versions {
			if !v.Older(c.Versions[i].MinimumVersion) {
				impl = &c.Versions[i]
			}
		}
		if impl != nil && !impl.CheckPod(meta, spec).Allowed {
			out[string(c.ID)] = true
		}
	}
	return out
}

// TestLibraryAgreesWithUpstream: for every pod, version and level, the upstream evaluator's
// verdict is the library's, the number of failing checks it reports (after upstream's overrides)
// is the number of violations the library reports, and each check the library names fails
// upstream too (evaluated alone).
func TestLibraryAgreesWithUpstream(t *testing.T) {
	f := loadCases(t)
	checks := policy.DefaultChecks()
	evaluator, err := policy.NewEvaluator(checks, nil)
	if err != nil {
		t.Fatal(err)
	}
	var disagreements []string
	evaluations := 0
	type tally struct{ allowed, denied int }
	perVersion := map[string]*tally{}
	for _, v := range f.Versions {
		perVersion[v] = &tally{}
		d, allowed, denied := compare(t, f, checks, evaluator, v, v)
		disagreements = append(disagreements, d...)
		evaluations += allowed + denied
		perVersion[v].allowed, perVersion[v].denied = allowed, denied
	}
	versions := append([]string(nil), f.Versions...)
	sort.Strings(versions)
	var summary []string
	for _, v := range versions {
		p := perVersion[v]
		summary = append(summary, fmt.Sprintf("v%s: %d allowed / %d denied", v, p.allowed, p.denied))
	}
	t.Logf("cross-checked %d pods x %d policy versions x 2 levels = %d evaluations against k8s.io/pod-security-admission; %d disagreements\n  %s",
		len(f.Cases), len(f.Versions), evaluations, len(disagreements), strings.Join(summary, "\n  "))
	fmt.Printf("psscheck: %d pods cross-checked at %d policy versions (v%s-v%s) x 2 levels: %d evaluations, %d disagreements\n",
		len(f.Cases), len(f.Versions), versions[0], versions[len(versions)-1], evaluations, len(disagreements))
	if len(disagreements) > 0 {
		shown := disagreements
		if len(shown) > 20 {
			shown = shown[:20]
		}
		t.Fatalf("%d of %d evaluations disagree; the first %d:\n%s", len(disagreements), evaluations, len(shown), strings.Join(shown, "\n"))
	}
}

// TestCrossCheckBites: the comparison finds disagreements when the library's verdicts of one
// policy version are compared with upstream's at another where the policy changed, so agreement
// above is not a comparison that cannot fail.
func TestCrossCheckBites(t *testing.T) {
	f := loadCases(t)
	checks := policy.DefaultChecks()
	evaluator, err := policy.NewEvaluator(checks, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]string{{"1.33", "1.34"}, {"1.34", "1.35"}, {"1.30", "1.31"}, {"1.36", "1.37"}, {"1.37", "1.27"}} {
		d, _, _ := compare(t, f, checks, evaluator, pair[0], pair[1])
		fmt.Printf("psscheck: negative control: library v%s verdicts vs upstream v%s: %d disagreements (must be > 0)\n", pair[0], pair[1], len(d))
		if len(d) == 0 {
			t.Errorf("library v%s verdicts vs upstream v%s: no disagreement; the generated pods do not exercise what changed between them", pair[0], pair[1])
		}
	}
}

func loadCases(t *testing.T) casesFile {
	t.Helper()
	path := os.Getenv("PSS_CASES")
	if path == "" {
		t.Fatal("PSS_CASES is not set: run through scripts/apiserver/psscheck.sh (npm run test:apiserver), which writes the cases with test/apiserver/pss-pods.ts")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f casesFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(f.Cases) < 1000 || len(f.Versions) != 11 {
		t.Fatalf("%s: %d pods at %d versions; expected at least 1000 pods at the 11 versions 1.27-1.37", path, len(f.Cases), len(f.Versions))
	}
	// Each pod as Pod Security Admission sees it in the API server: after the API's defaulting
	// (a volume with no source becomes an emptyDir; with hostNetwork, ports get hostPort =
	// containerPort). The library evaluates the manifest as written and must give the same answer.
	for i := range f.Cases {
		pod := &corev1.Pod{ObjectMeta: f.Cases[i].Pod.Metadata, Spec: f.Cases[i].Pod.Spec}
		k8sv1.SetObjectDefaults_Pod(pod)
		f.Cases[i].Pod.Metadata, f.Cases[i].Pod.Spec = pod.ObjectMeta, pod.Spec
	}
	return f
}

// compare evaluates every pod at both levels with upstream at policy version upV and compares
// with the library's verdicts at libV. It returns the disagreements and how many evaluations
// upstream allowed and denied.
func compare(t *testing.T, f casesFile, checks []policy.Check, evaluator policy.Evaluator, libV, upV string) ([]string, int, int) {
	t.Helper()
	version, err := api.ParseVersion("v" + upV)
	if err != nil {
		t.Fatal(err)
	}
	var disagreements []string
	allowed, denied := 0, 0
	for _, c := range f.Cases {
		for _, level := range []api.Level{api.LevelBaseline, api.LevelRestricted} {
			lib := c.Library[libV][string(level)]
			results := evaluator.EvaluatePod(api.LevelVersion{Level: level, Version: version}, &c.Pod.Metadata, &c.Pod.Spec)
			var reasons []string
			for _, r := range results {
				if !r.Allowed {
					reasons = append(reasons, r.ForbiddenReason)
				}
			}
			alone := failingChecks(checks, version, &c.Pod.Metadata, &c.Pod.Spec)
			var notFailingUpstream []string
			for _, id := range lib {
				if !alone[id] {
					notFailingUpstream = append(notFailingUpstream, id)
				}
			}
			if len(reasons) == 0 {
				allowed++
			} else {
				denied++
			}
			if len(reasons) != len(lib) || len(notFailingUpstream) > 0 {
				pod, _ := json.Marshal(c.Pod)
				disagreements = append(disagreements, fmt.Sprintf("%s at %s: upstream v%s fails %d checks %q; library v%s %q (not failing upstream: %q)\n    pod: %s",
					c.Source, level, upV, len(reasons), reasons, libV, lib, notFailingUpstream, pod))
			}
		}
	}
	return disagreements, allowed, denied
}
