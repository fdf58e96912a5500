module landlord.dev/tools/argocd

go 1.26.0

// Pinned for its CRDs (manifests/crds); the Argo CD binaries are built from here too once they are needed.
require github.com/argoproj/argo-cd/v3 v3.5.7
