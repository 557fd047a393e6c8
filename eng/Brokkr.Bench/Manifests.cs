using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Brokkr.Bench;

internal static class Manifests
{
    /// <summary>A Deployment, a Service and a ConfigMap: a few KB, like a small real application.</summary>
    public static string App(string name, int variant)
    {
        var config = new StringBuilder();
        for (var k = 0; k < 40; k++)
        {
            config.Append(CultureInfo.InvariantCulture, $"  SETTING_{k}: \"value-{variant}-{k}-{new string('x', 24)}\"\n");
        }

        return $$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{name}}
              namespace: bench
              labels:
                app.kubernetes.io/name: {{name}}
                app.kubernetes.io/part-of: brokkr-bench
            spec:
              replicas: 3
              selector:
                matchLabels:
                  app.kubernetes.io/name: {{name}}
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: {{name}}
                spec:
                  containers:
                    - name: app
                      image: registry.example.com/bench/{{name}}:1.{{variant}}.0
                      ports:
                        - containerPort: 8080
                          name: http
                      envFrom:
                        - configMapRef:
                            name: {{name}}-config
                      resources:
                        requests:
                          cpu: 100m
                          memory: 128Mi
                        limits:
                          cpu: 500m
                          memory: 256Mi
                      readinessProbe:
                        httpGet:
                          path: /ready
                          port: http
                      livenessProbe:
                        httpGet:
                          path: /live
                          port: http
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: {{name}}
              namespace: bench
            spec:
              selector:
                app.kubernetes.io/name: {{name}}
              ports:
                - name: http
                  port: 80
                  targetPort: http
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{name}}-config
              namespace: bench
            data:

            """ + config;
    }
}
