namespace Brokkr.FakeKube.Discovery;

/// <summary>The built-in resources served by the fake, as the real API server names them.</summary>
internal static class BuiltinResources
{
    public static IReadOnlyList<ResourceType> All { get; } =
    [
        ResourceType.Core("namespaces", "namespace", "Namespace", false, "ns").WithStatus(),
        ResourceType.Core("configmaps", "configmap", "ConfigMap", true, "cm"),
        ResourceType.Core("secrets", "secret", "Secret", true),
        ResourceType.Core("services", "service", "Service", true, "svc").WithStatus().InAll(),
        ResourceType.Core("serviceaccounts", "serviceaccount", "ServiceAccount", true, "sa"),
        ResourceType.Core("pods", "pod", "Pod", true, "po").WithStatus().WithSubresource("log").InAll(),
        ResourceType.Core("events", "event", "Event", true, "ev"),
        ResourceType.Core("persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true, "pvc").WithStatus(),
        Apps("deployments", "deployment", "Deployment", "deploy"),
        Apps("statefulsets", "statefulset", "StatefulSet", "sts"),
        Apps("daemonsets", "daemonset", "DaemonSet", "ds"),
        Apps("replicasets", "replicaset", "ReplicaSet", "rs"),
        ResourceType.Core("jobs", "job", "Job", true).InGroup("batch", "v1").WithStatus().InAll().Generational(),
        ResourceType.Core("cronjobs", "cronjob", "CronJob", true, "cj").InGroup("batch", "v1").WithStatus().InAll().Generational(),
        ResourceType.Core("leases", "lease", "Lease", true).InGroup("coordination.k8s.io", "v1"),
        ResourceType.Core("ingresses", "ingress", "Ingress", true, "ing").InGroup("networking.k8s.io", "v1").WithStatus().Generational(),
        Rbac("roles", "role", "Role", true),
        Rbac("rolebindings", "rolebinding", "RoleBinding", true),
        Rbac("clusterroles", "clusterrole", "ClusterRole", false),
        Rbac("clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false),
        ResourceType.Core("customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition", false, "crd", "crds")
            .InGroup(CrdGroup, "v1").WithStatus().Generational(),
    ];

    public const string CrdGroup = "apiextensions.k8s.io";

    public static bool IsBuiltinGroup(string group) => All.Any(t => t.Group == group);

    private static ResourceType Apps(string plural, string singular, string kind, string shortName)
    {
        var type = ResourceType.Core(plural, singular, kind, true, shortName).InGroup("apps", "v1").WithStatus().InAll().Generational();
        return kind == "DaemonSet" ? type : type.WithSubresource("scale");
    }

    private static ResourceType Rbac(string plural, string singular, string kind, bool namespaced) =>
        ResourceType.Core(plural, singular, kind, namespaced).InGroup("rbac.authorization.k8s.io", "v1");
}
