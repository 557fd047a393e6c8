global using System.Net;
global using System.Text.Json.Nodes;
global using Brokkr.Stacks.Tests.Support;
global using Brokkr.Testing;

namespace Brokkr.Stacks.Tests;
