// Wrapper module for Tempo. Tempo's module path has no /v2 or /v3 suffix, so its release tags are not valid Go
// versions; only pseudo-versions work, and the module proxy we can reach serves just one recent one: main at
// 87c2dc380cec (2025-05-29, just before 2.8.0). The checksum database does not know it either, so the installer
// sets GONOSUMDB for this module; go.sum below pins the hash we first saw. Replaces copied from upstream.
module o11y-lab-kit/engines/tempo

go 1.26.0

tool github.com/grafana/tempo/cmd/tempo

require github.com/grafana/tempo v1.5.1-0.20250529124718-87c2dc380cec

replace (
	k8s.io/api => k8s.io/api v0.25.0
	k8s.io/client-go => k8s.io/client-go v0.25.0
)

replace github.com/hashicorp/memberlist => github.com/grafana/memberlist v0.3.1-0.20220708130638-bd88e10a3d91
