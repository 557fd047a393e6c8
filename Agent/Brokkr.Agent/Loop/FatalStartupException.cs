namespace Brokkr.Agent.Loop;

/// <summary>Start-up cannot continue; the agent exits with code 1 (behaviour §14.1).</summary>
internal sealed class FatalStartupException(string message, Exception? inner = null) : Exception(message, inner);
