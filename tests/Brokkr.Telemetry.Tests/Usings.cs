global using System.Net;
global using System.Text.Json.Nodes;
global using Brokkr.Telemetry.Tests.Support;
global using Brokkr.Testing.Support;
global using Brokkr.Testing;

namespace Brokkr.Telemetry.Tests;
