using Brokkr.Agent;
using Brokkr.Agent.Loop;
using Microsoft.Extensions.DependencyInjection;

await using var app = AgentApp.Build(new AgentAppOptions { Args = args });
await app.RunAsync();
return app.Services.GetRequiredService<AgentRuntime>().ExitCode;
