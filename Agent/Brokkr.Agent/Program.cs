using Brokkr.Agent;
using Brokkr.Agent.Loop;
using Microsoft.Extensions.DependencyInjection;

var app = AgentApp.Build(new AgentAppOptions { Args = args });
var runtime = app.Services.GetRequiredService<AgentRuntime>();

// RunAsync disposes the host when it returns.
await app.RunAsync();
return runtime.ExitCode;
