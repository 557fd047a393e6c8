using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Brokkr.Bench;

var options = Options.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

using var http = Load.CreateClient(options);
if (options.Only == "agent")
{
    return await AgentScenario.RunAsync(http, options);
}

var seed = await Seeder.SeedAsync(http, options);
if (options.Values.ContainsKey("subscribe"))
{
    await Seeder.SubscribeAsync(http, options);
}

if (options.Only == "websocket")
{
    return await WebSocketScenario.RunAsync(http, options, seed);
}

var results = await Scenarios.RunAllAsync(http, options, seed);
Report.Print(options, seed, results);
return 0;
