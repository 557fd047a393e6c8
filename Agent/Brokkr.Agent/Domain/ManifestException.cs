namespace Brokkr.Agent.Domain;

/// <summary>A deployment object's YAML cannot be turned into Kubernetes objects; reported as a FAILURE.</summary>
internal sealed class ManifestException(string message, Exception? inner = null) : Exception(message, inner);
