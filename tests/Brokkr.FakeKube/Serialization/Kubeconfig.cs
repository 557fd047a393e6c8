namespace Brokkr.FakeKube.Serialization;

/// <summary>A kubeconfig naming the fake as the current context, with a bearer token user.</summary>
internal static class Kubeconfig
{
    public static string Render(Uri server, string token, string contextName = "fake-kube") =>
        $$"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: {{contextName}}
          cluster:
            server: {{server.GetLeftPart(UriPartial.Authority)}}
        users:
        - name: {{contextName}}-user
          user:
            token: {{token}}
        contexts:
        - name: {{contextName}}
          context:
            cluster: {{contextName}}
            user: {{contextName}}-user
            namespace: default
        current-context: {{contextName}}
        preferences: {}

        """;
}
