using System.Diagnostics;
using System.Globalization;
using System.Text;
using Brokkr.FakeKube;
using Microsoft.Extensions.Logging;

namespace Brokkr.Bench;

/// <summary>
/// Issue 6's agent figures: the real agent process (Agent/Brokkr.Agent, Release) against the broker
/// and an in-process fake Kubernetes API reconciles a target state of N ConfigMaps (default 1,000,
/// in a few stacks of one deployment object and one namespace each); then, idle, it must send no
/// write to the API server; then a new revision of every stack (all checksums change) is pushed and
/// timed the same way; then an agent restarted with an empty state directory must find every
/// checksum unchanged and write nothing either.
/// </summary>
internal static class AgentScenario
{
    private const string DeploymentObjectAnnotation = "brokkr.io/deployment-object-id";
    private const string OwnerAnnotation = "brokkr.io/owner-id";
    private const string ChecksumAnnotation = "k8s.brokkr.io/deployment-checksum";

    public static async Task<int> RunAsync(HttpClient http, Options options)
    {
        var total = options.Int("agent-objects", 1000);
        var stacks = Math.Max(1, options.Int("namespaces", 4));
        var poll = options.Int("poll", 2);
        var cycles = options.Int("cycles", 5);
        var dll = options.Values.GetValueOrDefault("agent-dll")
            ?? throw new InvalidOperationException("--only agent needs --agent-dll (eng/bench passes the Release build)");
        var work = Directory.CreateTempSubdirectory("brokkr-bench-agent-");
        await using var kube = await FakeKubeServer.StartAsync(logging: l => l.ClearProviders());
        var kubeconfig = kube.WriteKubeconfig(Path.Combine(work.FullName, "kubeconfig"));

        // The world: a generator, an ACTIVE agent registered with it, stacks targeted to it, one revision each.
        var admin = options.AdminPak;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var generator = await Load.SendJsonAsync(http, HttpMethod.Post, "api/v1/generators", admin,
            new Dictionary<string, object?> { ["name"] = $"bench-agent-{suffix}", ["description"] = "eng/bench agent" });
        var generatorId = generator!["generator"]!["id"]!.GetValue<Guid>();
        var name = $"bench-agent-{suffix}";
        var created = await Load.SendJsonAsync(http, HttpMethod.Post, "api/v1/agents", admin,
            new Dictionary<string, object?> { ["name"] = name, ["cluster_name"] = "bench", ["generator_ids"] = new[] { generatorId } });
        var agentId = created!["agent"]!["id"]!.GetValue<Guid>();
        var pak = created["initial_pak"]!.GetValue<string>();
        await Load.SendJsonAsync(http, HttpMethod.Put, $"api/v1/agents/{agentId}", admin, new Dictionary<string, object?> { ["status"] = "ACTIVE" });
        var stackIds = new Guid[stacks];
        var namespaces = new string[stacks];
        var perStack = new int[stacks];
        for (var s = 0; s < stacks; s++)
        {
            var stack = await Load.SendJsonAsync(http, HttpMethod.Post, "api/v1/stacks", admin,
                new Dictionary<string, object?> { ["name"] = $"bench-agent-{suffix}-{s}", ["generator_id"] = generatorId, ["description"] = "eng/bench agent" });
            stackIds[s] = stack!["id"]!.GetValue<Guid>();
            namespaces[s] = $"bench-{suffix}-{s}";
            perStack[s] = (total / stacks) + (s < total % stacks ? 1 : 0);
            await Load.SendJsonAsync(http, HttpMethod.Post, $"api/v1/agents/{agentId}/targets", admin,
                new Dictionary<string, object?> { ["agent_id"] = agentId, ["stack_id"] = stackIds[s] });
        }

        async Task<Guid[]> PublishAsync(int version)
        {
            var ids = new Guid[stacks];
            for (var s = 0; s < stacks; s++)
            {
                var revision = await Load.SendJsonAsync(http, HttpMethod.Post, $"api/v1/stacks/{stackIds[s]}/deployment-objects", admin,
                    new Dictionary<string, object?> { ["yaml_content"] = Bundle(namespaces[s], perStack[s], version), ["is_deletion_marker"] = false });
                ids[s] = revision!["id"]!.GetValue<Guid>();
            }

            return ids;
        }

        var first = await PublishAsync(1);
        Console.Error.WriteLine($"bench: agent: {total} ConfigMaps in {stacks} stacks for agent {agentId}; fake Kubernetes API at {kube.Url}");

        // How many ConfigMaps carry the expected revision and owner: read from the fake's store (no API request).
        int Converged(Guid[] revisions)
        {
            var done = 0;
            for (var s = 0; s < stacks; s++)
            {
                foreach (var map in kube.Cluster.List("v1", "ConfigMap", namespaces[s]))
                {
                    var annotations = map["metadata"]?["annotations"];
                    if (annotations?[DeploymentObjectAnnotation]?.GetValue<string>() == revisions[s].ToString()
                        && annotations?[OwnerAnnotation]?.GetValue<string>() == agentId.ToString()
                        && annotations?[ChecksumAnnotation] is not null)
                    {
                        done++;
                    }
                }
            }

            return done;
        }

        async Task<(TimeSpan? Took, int Done)> WaitAsync(Guid[] revisions, long since, TimeSpan limit)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < limit)
            {
                var done = Converged(revisions);
                if (done == total)
                {
                    return (Stopwatch.GetElapsedTime(since), done);
                }

                await Task.Delay(25);
            }

            return (null, Converged(revisions));
        }

        int Writes(long mark) => kube.RequestsSince(mark).Count(r => r.IsWrite);
        int DryRuns(long mark) => kube.RequestsSince(mark).Count(r => r.IsDryRun);
        int Reads(long mark) => kube.RequestsSince(mark).Count(r => !r.IsWrite && !r.IsDryRun);
        var limit = TimeSpan.FromSeconds(options.Int("agent-wait", 120));

        // 1. Start-up: from the process start to every object present with this revision's annotations.
        var mark = kube.RequestMark;
        var started = Stopwatch.GetTimestamp();
        var agent = AgentProcess.Start(dll, Environment(options, name, pak, kubeconfig, poll, Path.Combine(work.FullName, "state-1")));
        (TimeSpan? Took, int Done) initial;
        try
        {
            initial = await WaitAsync(first, started, limit);
        }
        catch
        {
            await agent.StopAsync();
            throw;
        }

        var initialWrites = Writes(mark);
        var initialDryRuns = DryRuns(mark);

        // 2. Idle: let the events flush and the first resync pass, then count the requests of `cycles` polls.
        await Task.Delay(TimeSpan.FromSeconds(poll * 2));
        mark = kube.RequestMark;
        await Task.Delay(TimeSpan.FromSeconds(poll * cycles));
        var idleWrites = Writes(mark);
        var idleDryRuns = DryRuns(mark);
        var idleReads = Reads(mark);

        // 3. A new revision of every stack (every checksum changes), pushed over the WebSocket.
        mark = kube.RequestMark;
        var pushed = Stopwatch.GetTimestamp();
        var second = await PublishAsync(2);
        var update = await WaitAsync(second, pushed, limit);
        var updateWrites = Writes(mark);
        var updateDryRuns = DryRuns(mark);
        await Task.Delay(TimeSpan.FromSeconds(poll * 2));
        await agent.StopAsync();

        // 4. A restarted agent with an empty state directory: every checksum matches, nothing is written.
        mark = kube.RequestMark;
        var restart = AgentProcess.Start(dll, Environment(options, name, pak, kubeconfig, poll, Path.Combine(work.FullName, "state-2")));
        await Task.Delay(TimeSpan.FromSeconds(poll * (cycles + 2)));
        var restartWrites = Writes(mark);
        var restartDryRuns = DryRuns(mark);
        var restartReads = Reads(mark);
        await restart.StopAsync();
        var log = agent.Log + restart.Log;
        try
        {
            work.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A temp dir left behind is harmless.
        }

        var inv = CultureInfo.InvariantCulture;
        string Seconds(TimeSpan? t) => t is { } v ? string.Create(inv, $"{v.TotalSeconds:F2} s") : "not reached";
        Console.WriteLine($"# eng/bench agent: {options.Url} | {total} ConfigMaps in {stacks} stacks (one deployment object and namespace each) | " +
            $"agent {Path.GetFileName(dll)}, polling {poll} s | client: {System.Environment.ProcessorCount} cpus, .NET {System.Environment.Version}");
        Console.WriteLine();
        Console.WriteLine("| phase | time | objects converged | API writes | dry runs | reads |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| start-up: process start to all objects applied | {Seconds(initial.Took)} | {initial.Done} of {total} | {initialWrites} | {initialDryRuns} | |");
        Console.WriteLine($"| idle: {cycles} polls after convergence | | | {idleWrites} | {idleDryRuns} | {idleReads} |");
        Console.WriteLine($"| update: new revision of every stack, POSTs to all updated | {Seconds(update.Took)} | {update.Done} of {total} | {updateWrites} | {updateDryRuns} | |");
        Console.WriteLine($"| restart with an empty state dir, {cycles + 2} polls | | | {restartWrites} | {restartDryRuns} | {restartReads} |");
        Console.WriteLine();
        Console.WriteLine("Goals of issue 6:");
        Console.WriteLine($"  {(initial.Took is { } t && t <= TimeSpan.FromSeconds(10) ? "PASS" : "MISS")}  agent reconcile: {total} objects in {Seconds(initial.Took)} (goal: 1,000 within 10 s, from the agent's process start)");
        Console.WriteLine($"  {(update.Took is { } u && u <= TimeSpan.FromSeconds(10) ? "PASS" : "MISS")}  agent update: {total} objects in {Seconds(update.Took)} (goal: 1,000 within 10 s, from the change)");
        Console.WriteLine($"  {(idleWrites == 0 && idleDryRuns == 0 && restartWrites == 0 && restartDryRuns == 0 ? "PASS" : "MISS")}  agent steady state: {idleWrites} writes and {idleDryRuns} dry runs in {cycles} idle polls, {restartWrites} writes and {restartDryRuns} dry runs after a restart (goal: 0)");
        if (initial.Took is null || update.Took is null || idleWrites + restartWrites > 0)
        {
            Console.WriteLine("agent log (tail):");
            Console.WriteLine(log[Math.Max(0, log.Length - 4000)..]);
        }

        return 0;
    }

    private static Dictionary<string, string> Environment(Options options, string name, string pak, string kubeconfig, int poll, string stateDir) => new()
    {
        ["BROKKR__AGENT__BROKER_URL"] = options.Url.ToString().TrimEnd('/'),
        ["BROKKR__AGENT__PAK"] = pak,
        ["BROKKR__AGENT__AGENT_NAME"] = name,
        ["BROKKR__AGENT__CLUSTER_NAME"] = "bench",
        ["BROKKR__AGENT__KUBECONFIG_PATH"] = kubeconfig,
        ["BROKKR__AGENT__POLLING_INTERVAL"] = poll.ToString(CultureInfo.InvariantCulture),
        ["BROKKR__AGENT__HEALTH_PORT"] = "0",
        ["BROKKR__AGENT__STATE_DIR"] = stateDir,
        ["BROKKR__LOG__LEVEL"] = "warn",
    };

    /// <summary>A namespace and <paramref name="count"/> small ConfigMaps, all of one version.</summary>
    private static string Bundle(string ns, int count, int version)
    {
        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n");
        for (var i = 0; i < count; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-{i:D4}\n  namespace: {ns}\n  labels:\n    app: bench\n" +
                $"data:\n  version: \"{version}\"\n  setting: \"value-{i}-{version}\"\n");
        }

        return yaml.ToString();
    }

    /// <summary>The agent as eng/agent runs it: <c>dotnet Brokkr.Agent.dll</c> with BROKKR__* variables; SIGTERM stops it.</summary>
    private sealed class AgentProcess
    {
        private readonly Process _process;
        private readonly StringBuilder _log = new();

        private AgentProcess(Process process) => _process = process;

        public string Log
        {
            get
            {
                lock (_log)
                {
                    return _log.ToString();
                }
            }
        }

        public static AgentProcess Start(string dll, IReadOnlyDictionary<string, string> environment)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(dll);
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }

            var process = new Process { StartInfo = start };
            var agent = new AgentProcess(process);
            process.OutputDataReceived += (_, e) => agent.Append(e.Data);
            process.ErrorDataReceived += (_, e) => agent.Append(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return agent;
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_log)
                {
                    _log.AppendLine(line);
                }
            }
        }

        public async Task StopAsync()
        {
            if (!_process.HasExited)
            {
                using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await _process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }

            _process.Dispose();
        }
    }
}
