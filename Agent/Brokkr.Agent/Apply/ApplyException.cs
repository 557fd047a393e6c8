namespace Brokkr.Agent.Apply;

/// <summary>A reconcile failed; the message is what the FAILURE event reports.</summary>
internal sealed class ApplyException(string message, Exception? inner = null) : Exception(message, inner);
