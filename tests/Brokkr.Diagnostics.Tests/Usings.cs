global using System.Net;
global using System.Text.Json.Nodes;
global using Brokkr.Diagnostics.Tests.Support;
global using Brokkr.Testing.Support;
global using Brokkr.Testing;

namespace Brokkr.Diagnostics.Tests;
