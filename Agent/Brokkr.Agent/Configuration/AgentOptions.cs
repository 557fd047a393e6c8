using Microsoft.Extensions.Configuration;

namespace Brokkr.Agent.Configuration;

/// <summary>
/// The reference's <c>agent</c> settings (behaviour §13), bound from <c>BROKKR__AGENT__*</c> variables
/// and the optional <c>BROKKR_CONFIG_FILE</c>, with the reference's names and defaults. The PAK has no
/// default: the reference's default is the public development admin PAK, which our broker refuses.
/// </summary>
internal sealed class AgentOptions
{
    [ConfigurationKeyName("broker_url")]
    public string BrokerUrl { get; set; } = "http://localhost:3000";

    [ConfigurationKeyName("pak")]
    public string? Pak { get; set; }

    [ConfigurationKeyName("agent_name")]
    public string AgentName { get; set; } = "DEFAULT";

    [ConfigurationKeyName("cluster_name")]
    public string ClusterName { get; set; } = "DEFAULT";

    /// <summary>Seconds between heartbeats and between target-state polls.</summary>
    [ConfigurationKeyName("polling_interval")]
    public int PollingInterval { get; set; } = 10;

    [ConfigurationKeyName("kubeconfig_path")]
    public string? KubeconfigPath { get; set; }

    /// <summary>Attempts (1 s apart) to reach the broker's <c>/readyz</c> at start-up.</summary>
    [ConfigurationKeyName("max_retries")]
    public int MaxRetries { get; set; } = 60;

    [ConfigurationKeyName("health_port")]
    public int HealthPort { get; set; } = 8080;

    [ConfigurationKeyName("deployment_health_enabled")]
    public bool DeploymentHealthEnabled { get; set; } = true;

    [ConfigurationKeyName("deployment_health_interval")]
    public int DeploymentHealthInterval { get; set; } = 60;

    [ConfigurationKeyName("ws_force_rest")]
    public bool WsForceRest { get; set; }

    [ConfigurationKeyName("ws_url")]
    public string? WsUrl { get; set; }

    [ConfigurationKeyName("kube_event_uid_cache_cap")]
    public int KubeEventUidCacheCap { get; set; } = 10_000;

    [ConfigurationKeyName("watch_namespace")]
    public string? WatchNamespace { get; set; }

    /// <summary>Comma-separated generator ids to self-register with (a TOML array is joined with commas).</summary>
    [ConfigurationKeyName("generator_ids")]
    public string? GeneratorIds { get; set; }

    /// <summary>
    /// Ours: where the report queue and the applied set are kept across restarts. Unset:
    /// <c>.brokkr/agent/&lt;cluster&gt;-&lt;agent&gt;</c> under the working directory.
    /// </summary>
    [ConfigurationKeyName("state_dir")]
    public string? StateDir { get; set; }

    /// <summary>Ours: at most this many objects of one priority group are applied at once.</summary>
    [ConfigurationKeyName("apply_parallelism")]
    public int ApplyParallelism { get; set; } = 4;

    /// <summary>Ours: how long to wait for a CRD to be established and discoverable.</summary>
    [ConfigurationKeyName("crd_wait_seconds")]
    public int CrdWaitSeconds { get; set; } = 60;

    /// <summary>Ours: the first retry delay of a failed revision (doubling up to 5 minutes).</summary>
    [ConfigurationKeyName("retry_base_seconds")]
    public double RetryBaseSeconds { get; set; } = 10;

    /// <summary>Ours: seconds between checks of a work order's Job or BuildRun (the reference's fixed 5).</summary>
    [ConfigurationKeyName("work_order_poll_seconds")]
    public double WorkOrderPollSeconds { get; set; } = 5;

    /// <summary>Ours: run as one of an active-passive pair, the active one holding a coordination.k8s.io Lease.</summary>
    [ConfigurationKeyName("leader_election")]
    public bool LeaderElection { get; set; }

    /// <summary>Ours: the Lease's namespace (default: <c>POD_NAMESPACE</c>, else the watch namespace, else <c>default</c>).</summary>
    [ConfigurationKeyName("leader_election_namespace")]
    public string? LeaderElectionNamespace { get; set; }

    /// <summary>Ours: the Lease's name (default <c>brokkr-agent-&lt;agent name&gt;</c>).</summary>
    [ConfigurationKeyName("leader_election_lease_name")]
    public string? LeaderElectionLeaseName { get; set; }

    /// <summary>Ours: this replica's name in the Lease (default: <c>POD_NAME</c>, else the host name and process id).</summary>
    [ConfigurationKeyName("leader_election_identity")]
    public string? LeaderElectionIdentity { get; set; }

    /// <summary>Ours: how long a Lease holds without renewal (renewed every fifth of it).</summary>
    [ConfigurationKeyName("leader_election_lease_seconds")]
    public int LeaderElectionLeaseSeconds { get; set; } = 15;

    public TimeSpan PollingPeriod => TimeSpan.FromSeconds(Math.Max(1, PollingInterval));

    /// <summary>The namespace of a namespaced object whose manifest names none.</summary>
    public string DefaultNamespace => string.IsNullOrWhiteSpace(WatchNamespace) ? "default" : WatchNamespace;

    public string ResolvedStateDir
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(StateDir))
            {
                return StateDir;
            }

            var safe = new string($"{ClusterName}-{AgentName}".Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
            return Path.Combine(".brokkr", "agent", safe);
        }
    }

    /// <summary>
    /// The configured generator ids, then the legacy <c>BROKKR_GENERATOR_IDS</c>; malformed ids are
    /// returned separately so start-up can log and skip them, as the reference does.
    /// </summary>
    public (IReadOnlyList<Guid> Valid, IReadOnlyList<string> Malformed, bool FromLegacyVariable) ParseGeneratorIds(string? legacy)
    {
        var fromLegacy = string.IsNullOrWhiteSpace(GeneratorIds) && !string.IsNullOrWhiteSpace(legacy);
        var raw = fromLegacy ? legacy : GeneratorIds;
        var valid = new List<Guid>();
        var malformed = new List<string>();
        foreach (var part in (raw ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Guid.TryParse(part, out var id))
            {
                if (!valid.Contains(id))
                {
                    valid.Add(id);
                }
            }
            else
            {
                malformed.Add(part);
            }
        }

        return (valid, malformed, fromLegacy);
    }

    /// <summary>The WebSocket URL: <c>ws_url</c>, or the broker URL with ws(s) and <c>/internal/ws/agent</c>.</summary>
    public Uri ResolvedWsUrl()
    {
        if (!string.IsNullOrWhiteSpace(WsUrl))
        {
            return new Uri(WsUrl);
        }

        var broker = new UriBuilder(BrokerUrl.TrimEnd('/'));
        broker.Scheme = broker.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
        broker.Path = broker.Path.TrimEnd('/') + "/internal/ws/agent";
        return broker.Uri;
    }

    /// <summary>Problems that make start-up pointless; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Pak))
        {
            errors.Add("BROKKR__AGENT__PAK is required (the agent's PAK, printed when the agent was created)");
        }

        if (!Uri.TryCreate(BrokerUrl, UriKind.Absolute, out var broker) || (broker.Scheme != Uri.UriSchemeHttp && broker.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"BROKKR__AGENT__BROKER_URL must be an http(s) URL, not '{BrokerUrl}'");
        }

        if (HealthPort is < 0 or > 65535)
        {
            errors.Add($"BROKKR__AGENT__HEALTH_PORT must be a port number, not {HealthPort}");
        }

        if (PollingInterval < 1)
        {
            errors.Add("BROKKR__AGENT__POLLING_INTERVAL must be at least 1 (seconds)");
        }

        return errors;
    }
}
