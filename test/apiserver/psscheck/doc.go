// Package psscheck cross-checks the library's Pod Security evaluator (lib/_pod/pss.ts) against
// the upstream one, k8s.io/pod-security-admission's policy package at the version pinned in
// go.mod, on the pods that test/apiserver/pss-pods.ts writes with the library's verdicts.
package psscheck
