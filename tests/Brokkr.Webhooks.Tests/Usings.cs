global using System.Net;
global using System.Text.Json.Nodes;
global using Brokkr.Testing;
global using Brokkr.Testing.Support;
global using Brokkr.Webhooks.Tests.Support;

namespace Brokkr.Webhooks.Tests;
