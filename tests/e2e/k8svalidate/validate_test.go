// Offline validation of a generated project's Kubernetes manifests, run by stackprint's
// end-to-end tests (no cluster, no schema download) on the kustomize directory in
// $MANIFESTS: every document is decoded strictly into the typed Kubernetes API structs
// (unknown or mistyped fields fail), names and labels are checked with the API server's
// own validation helpers, and the references between objects are checked: Services,
// HPAs, NetworkPolicies and the Ingress must point at objects and ports that exist, and
// every container must have probes and resource requests and limits. What CI deploys is
// checked too: every object lives in the kustomization's namespace (created here or by
// Terraform, not both), every image is one CI sets through the kustomization's
// `images:` (so no `latest`), and the Ingress's TLS certificate comes from cert-manager.
//
//	MANIFESTS=/path/to/project/infrastructure/k8s go test ./...
package k8s

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/validation"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

type manifests struct {
	deployments     []appsv1.Deployment
	services        []corev1.Service
	configMaps      []corev1.ConfigMap
	namespaces      []corev1.Namespace
	hpas            []autoscalingv2.HorizontalPodAutoscaler
	networkPolicies []networkingv1.NetworkPolicy
	ingresses       []networkingv1.Ingress
}

// kustomization is the part of kustomize's file this directory uses.
type kustomization struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Namespace  string   `json:"namespace"`
	Resources  []string `json:"resources"`
	Images     []struct {
		Name    string `json:"name"`
		NewName string `json:"newName,omitempty"`
		NewTag  string `json:"newTag,omitempty"`
	} `json:"images"`
}

func manifestDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("MANIFESTS")
	if dir == "" {
		t.Fatal("MANIFESTS must name the kustomize directory to validate")
	}
	return dir
}

func load(t *testing.T) (manifests, kustomization) {
	t.Helper()
	dir := manifestDir(t)
	raw, err := os.ReadFile(filepath.Join(dir, "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var k kustomization
	if err := yaml.UnmarshalStrict(raw, &k); err != nil {
		t.Fatalf("kustomization.yaml: %v", err)
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, p := range paths {
		if name := filepath.Base(p); name != "kustomization.yaml" {
			files = append(files, name)
		}
	}
	slices.Sort(files)
	listed := slices.Sorted(slices.Values(k.Resources))
	if !slices.Equal(files, listed) {
		t.Fatalf("kustomization resources %v differ from the manifest files %v", listed, files)
	}

	var m manifests
	for _, file := range files {
		raw, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		for i, doc := range splitDocuments(raw) {
			if err := m.add(doc); err != nil {
				t.Errorf("%s, document %d: %v", file, i+1, err)
			}
		}
	}
	return m, k
}

func splitDocuments(raw []byte) [][]byte {
	var docs [][]byte
	for _, part := range bytes.Split(raw, []byte("\n---")) {
		if len(bytes.TrimSpace(stripComments(part))) > 0 {
			docs = append(docs, part)
		}
	}
	return docs
}

func stripComments(doc []byte) []byte {
	var out [][]byte
	for _, line := range bytes.Split(doc, []byte("\n")) {
		if !bytes.HasPrefix(bytes.TrimSpace(line), []byte("#")) {
			out = append(out, line)
		}
	}
	return bytes.Join(out, []byte("\n"))
}

// add decodes doc strictly into the struct of its kind.
func (m *manifests) add(doc []byte) error {
	var meta metav1.TypeMeta
	if err := yaml.Unmarshal(doc, &meta); err != nil {
		return err
	}
	var err error
	switch meta.APIVersion + "/" + meta.Kind {
	case "apps/v1/Deployment":
		m.deployments, err = appendStrict(m.deployments, doc)
	case "v1/Service":
		m.services, err = appendStrict(m.services, doc)
	case "v1/ConfigMap":
		m.configMaps, err = appendStrict(m.configMaps, doc)
	case "v1/Namespace":
		m.namespaces, err = appendStrict(m.namespaces, doc)
	case "autoscaling/v2/HorizontalPodAutoscaler":
		m.hpas, err = appendStrict(m.hpas, doc)
	case "networking.k8s.io/v1/NetworkPolicy":
		m.networkPolicies, err = appendStrict(m.networkPolicies, doc)
	case "networking.k8s.io/v1/Ingress":
		m.ingresses, err = appendStrict(m.ingresses, doc)
	default:
		return fmt.Errorf("unexpected kind %s %s: add it to this test", meta.APIVersion, meta.Kind)
	}
	return err
}

// appendStrict decodes like the API server does: YAML to JSON, then a case-sensitive JSON
// decode that reports unknown and duplicate fields (encoding/json alone would accept
// "containerport" for containerPort).
func appendStrict[T any](list []T, doc []byte) ([]T, error) {
	raw, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return list, err
	}
	var v T
	strictErrs, err := kjson.UnmarshalStrict(raw, &v, kjson.DisallowUnknownFields)
	if err != nil {
		return list, err
	}
	if len(strictErrs) > 0 {
		return list, errors.Join(strictErrs...)
	}
	return append(list, v), nil
}

func checkMeta(t *testing.T, kind string, meta metav1.ObjectMeta, namespaced bool) {
	t.Helper()
	for _, msg := range validation.IsDNS1123Subdomain(meta.Name) {
		t.Errorf("%s name %q: %s", kind, meta.Name, msg)
	}
	if namespaced {
		for _, msg := range validation.IsDNS1123Label(meta.Namespace) {
			t.Errorf("%s %s namespace %q: %s", kind, meta.Name, meta.Namespace, msg)
		}
	}
	for k, v := range meta.Labels {
		for _, msg := range append(validation.IsQualifiedName(k), validation.IsValidLabelValue(v)...) {
			t.Errorf("%s %s label %s=%s: %s", kind, meta.Name, k, v, msg)
		}
	}
}

func TestManifests(t *testing.T) {
	m, k := load(t)
	n := len(m.deployments)
	if n == 0 || len(m.services) != n || len(m.hpas) != n ||
		len(m.networkPolicies) != n || len(m.configMaps) != n || len(m.ingresses) != 1 {
		t.Fatalf("expected a Service, HPA, NetworkPolicy and ConfigMap for each of the %d Deployments, and one Ingress; got %d/%d/%d/%d/%d",
			n, len(m.services), len(m.hpas), len(m.networkPolicies), len(m.configMaps), len(m.ingresses))
	}
	checkDelivery(t, m, k)
	for _, ns := range m.namespaces {
		checkMeta(t, "Namespace", ns.ObjectMeta, false)
	}
	configMaps := map[string]bool{}
	for _, cm := range m.configMaps {
		checkMeta(t, "ConfigMap", cm.ObjectMeta, true)
		configMaps[cm.Name] = true
	}
	deployments := map[string]appsv1.Deployment{}
	for _, d := range m.deployments {
		checkMeta(t, "Deployment", d.ObjectMeta, true)
		checkDeployment(t, d, configMaps)
		deployments[d.Name] = d
	}
	for _, s := range m.services {
		checkMeta(t, "Service", s.ObjectMeta, true)
		checkService(t, s, m.deployments)
	}
	for _, h := range m.hpas {
		checkMeta(t, "HorizontalPodAutoscaler", h.ObjectMeta, true)
		if _, ok := deployments[h.Spec.ScaleTargetRef.Name]; !ok || h.Spec.ScaleTargetRef.Kind != "Deployment" {
			t.Errorf("HPA %s targets unknown %s %s", h.Name, h.Spec.ScaleTargetRef.Kind, h.Spec.ScaleTargetRef.Name)
		}
		if h.Spec.MinReplicas == nil || *h.Spec.MinReplicas < 1 || *h.Spec.MinReplicas > h.Spec.MaxReplicas {
			t.Errorf("HPA %s: need 1 <= minReplicas <= maxReplicas", h.Name)
		}
	}
	for _, np := range m.networkPolicies {
		checkMeta(t, "NetworkPolicy", np.ObjectMeta, true)
		if len(selected(t, &np.Spec.PodSelector, m.deployments)) == 0 {
			t.Errorf("NetworkPolicy %s selects no Deployment's pods", np.Name)
		}
	}
	services := map[string]corev1.Service{}
	for _, s := range m.services {
		services[s.Name] = s
	}
	for _, ing := range m.ingresses {
		checkMeta(t, "Ingress", ing.ObjectMeta, true)
		for _, rule := range ing.Spec.Rules {
			for _, p := range rule.HTTP.Paths {
				svc, ok := services[p.Backend.Service.Name]
				if !ok {
					t.Errorf("Ingress %s path %s: unknown Service %s", ing.Name, p.Path, p.Backend.Service.Name)
					continue
				}
				if !slices.ContainsFunc(svc.Spec.Ports, func(sp corev1.ServicePort) bool {
					return sp.Name == p.Backend.Service.Port.Name || sp.Port == p.Backend.Service.Port.Number
				}) {
					t.Errorf("Ingress %s path %s: Service %s has no such port", ing.Name, p.Path, svc.Name)
				}
			}
		}
	}
}

// checkDelivery checks what ties the manifests to the cluster and to CI: one namespace,
// the images CI sets, and a TLS certificate someone issues.
func checkDelivery(t *testing.T, m manifests, k kustomization) {
	t.Helper()
	if k.Namespace == "" {
		t.Error("kustomization.yaml must set namespace: for every object")
	}
	if len(m.namespaces) > 1 || (len(m.namespaces) == 1 && m.namespaces[0].Name != k.Namespace) {
		t.Errorf("the manifests may create only the kustomization's namespace %q", k.Namespace)
	}
	metas := []metav1.ObjectMeta{}
	for _, d := range m.deployments {
		metas = append(metas, d.ObjectMeta)
	}
	for _, s := range m.services {
		metas = append(metas, s.ObjectMeta)
	}
	for _, ing := range m.ingresses {
		metas = append(metas, ing.ObjectMeta)
	}
	for _, meta := range metas {
		if meta.Namespace != "" && meta.Namespace != k.Namespace {
			t.Errorf("%s is in namespace %q, the kustomization in %q", meta.Name, meta.Namespace, k.Namespace)
		}
	}
	images := map[string]bool{}
	for _, img := range k.Images {
		images[img.Name] = true
	}
	for _, d := range m.deployments {
		for _, c := range d.Spec.Template.Spec.Containers {
			if strings.Contains(c.Image, ":") || strings.Contains(c.Image, "@") {
				t.Errorf("%s/%s: image %q must be untagged: CI sets the tag (its commit) through kustomization images", d.Name, c.Name, c.Image)
			}
			if !images[c.Image] {
				t.Errorf("%s/%s: image %q is not in kustomization images, so CI cannot set it", d.Name, c.Name, c.Image)
			}
		}
	}
	for _, ing := range m.ingresses {
		if len(ing.Spec.TLS) == 0 || ing.Spec.TLS[0].SecretName == "" {
			t.Errorf("Ingress %s: TLS with a secret is required", ing.Name)
		}
		if ing.Annotations["cert-manager.io/cluster-issuer"] == "" && ing.Annotations["cert-manager.io/issuer"] == "" {
			t.Errorf("Ingress %s: no cert-manager issuer annotation, so nothing creates its TLS secret", ing.Name)
		}
	}
}

func checkDeployment(t *testing.T, d appsv1.Deployment, configMaps map[string]bool) {
	t.Helper()
	sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
	if err != nil || sel.Empty() || !sel.Matches(labels.Set(d.Spec.Template.Labels)) {
		t.Errorf("Deployment %s: selector does not match the pod template labels (%v)", d.Name, err)
	}
	spec := d.Spec.Template.Spec
	if spec.SecurityContext == nil || spec.SecurityContext.RunAsNonRoot == nil || !*spec.SecurityContext.RunAsNonRoot {
		t.Errorf("Deployment %s: pods must run as non-root", d.Name)
	}
	for _, c := range spec.Containers {
		where := d.Name + "/" + c.Name
		if c.Image == "" {
			t.Errorf("%s: no image", where)
		}
		if c.LivenessProbe == nil || c.ReadinessProbe == nil {
			t.Errorf("%s: liveness and readiness probes are required", where)
		}
		for _, res := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			req, hasReq := c.Resources.Requests[res]
			lim, hasLim := c.Resources.Limits[res]
			if !hasReq || !hasLim {
				t.Errorf("%s: %s request and limit are required", where, res)
			} else if req.Cmp(lim) > 0 {
				t.Errorf("%s: %s request exceeds the limit", where, res)
			}
		}
		ports := map[string]bool{}
		for _, p := range c.Ports {
			ports[p.Name] = true
		}
		for _, probe := range []*corev1.Probe{c.LivenessProbe, c.ReadinessProbe, c.StartupProbe} {
			if probe == nil {
				continue
			}
			var port string
			switch {
			case probe.HTTPGet != nil:
				port = probe.HTTPGet.Port.String()
			case probe.TCPSocket != nil:
				port = probe.TCPSocket.Port.String()
			}
			if port != "" && !ports[port] && !strings.ContainsAny(port, "0123456789") {
				t.Errorf("%s: probe uses unknown port %q", where, port)
			}
		}
		for _, from := range c.EnvFrom {
			if from.ConfigMapRef != nil && !configMaps[from.ConfigMapRef.Name] {
				t.Errorf("%s: unknown ConfigMap %s", where, from.ConfigMapRef.Name)
			}
		}
	}
}

func checkService(t *testing.T, s corev1.Service, deployments []appsv1.Deployment) {
	t.Helper()
	targets := selected(t, &metav1.LabelSelector{MatchLabels: s.Spec.Selector}, deployments)
	if len(targets) == 0 {
		t.Errorf("Service %s selects no Deployment's pods", s.Name)
		return
	}
	for _, sp := range s.Spec.Ports {
		if sp.TargetPort.String() == "" || sp.TargetPort.IntValue() != 0 {
			continue
		}
		found := false
		for _, d := range targets {
			for _, c := range d.Spec.Template.Spec.Containers {
				found = found || slices.ContainsFunc(c.Ports, func(p corev1.ContainerPort) bool { return p.Name == sp.TargetPort.StrVal })
			}
		}
		if !found {
			t.Errorf("Service %s: targetPort %q is not a named container port", s.Name, sp.TargetPort.StrVal)
		}
	}
}

func selected(t *testing.T, ls *metav1.LabelSelector, deployments []appsv1.Deployment) []appsv1.Deployment {
	t.Helper()
	sel, err := metav1.LabelSelectorAsSelector(ls)
	if err != nil {
		t.Errorf("bad selector %v: %v", ls, err)
		return nil
	}
	var out []appsv1.Deployment
	for _, d := range deployments {
		if !sel.Empty() && sel.Matches(labels.Set(d.Spec.Template.Labels)) {
			out = append(out, d)
		}
	}
	return out
}

// TestStrictDecodingCatchesMistakes proves the strict decoder is not a no-op.
func TestStrictDecodingCatchesMistakes(t *testing.T) {
	bad := map[string]string{
		"unknown field": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicaz: 2\n",
		"wrong case":    "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports:\n    - port: 80\n      targetport: 8080\n",
		"wrong type":    "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports: 80\n",
		"bad quantity":  "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          resources:\n            limits:\n              cpu: lots\n",
	}
	for name, doc := range bad {
		var m manifests
		if err := m.add([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
