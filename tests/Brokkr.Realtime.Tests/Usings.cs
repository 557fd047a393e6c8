global using System.Net;
global using System.Text.Json.Nodes;
global using Brokkr.Realtime.Tests.Support;
global using Brokkr.Testing;
global using Brokkr.Testing.Support;
global using Microsoft.Extensions.DependencyInjection;
