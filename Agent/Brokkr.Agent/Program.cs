var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddEnvironmentVariables("BROKKR__");
using var host = builder.Build();
await host.RunAsync();
