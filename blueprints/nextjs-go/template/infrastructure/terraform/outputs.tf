output "namespace" {
  description = "Namespace the application runs in"
  value       = kubernetes_namespace_v1.app.metadata[0].name
}

output "secret_name" {
  description = "Name of the Secret the Deployments read"
  value       = kubernetes_secret_v1.app.metadata[0].name
}
