using Brokkr.Contracts.Diagnostics;

namespace Brokkr.Diagnostics.Api;

/// <summary>The reference's <c>DiagnosticResponse</c>: the request, and its result once the agent submitted one.</summary>
public sealed record DiagnosticResponse(DiagnosticRequest Request, DiagnosticResult? Result);
