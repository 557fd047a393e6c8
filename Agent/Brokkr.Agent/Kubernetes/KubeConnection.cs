using k8s;

namespace Brokkr.Agent.Kubernetes;

/// <summary>
/// Where the agent's Kubernetes credentials come from: <c>agent.kubeconfig_path</c>, else the
/// <c>KUBECONFIG</c> variable (first existing file of the list), else the in-cluster service
/// account, else <c>~/.kube/config</c>.
/// </summary>
internal static class KubeConnection
{
    public static (KubernetesClientConfiguration Configuration, string Source) Resolve(string? kubeconfigPath, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(kubeconfigPath))
        {
            if (!File.Exists(kubeconfigPath))
            {
                throw new InvalidOperationException($"BROKKR__AGENT__KUBECONFIG_PATH names '{kubeconfigPath}', which does not exist");
            }

            return (KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath), kubeconfigPath);
        }

        var variable = environment("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(variable))
        {
            var file = variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException($"KUBECONFIG names '{variable}', which does not exist");
            return (KubernetesClientConfiguration.BuildConfigFromConfigFile(file), file);
        }

        if (KubernetesClientConfiguration.IsInCluster())
        {
            return (KubernetesClientConfiguration.InClusterConfig(), "in-cluster service account");
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var fallback = Path.Combine(home, ".kube", "config");
        if (File.Exists(fallback))
        {
            return (KubernetesClientConfiguration.BuildConfigFromConfigFile(fallback), fallback);
        }

        throw new InvalidOperationException(
            "No Kubernetes credentials: set BROKKR__AGENT__KUBECONFIG_PATH or KUBECONFIG, or run in a pod with a service account");
    }
}
